import * as tf from '@tensorflow/tfjs';
import type { PixelBox } from './pixel-box.js';

/** A window of decoded frames: interleaved rgb24, row-major, all width × height. */
export interface RgbWindow {
  frames: readonly Uint8Array[];
  width: number;
  height: number;
}

export const TUBE_SIZE = 64;

/** Where a tube is cut: one box for every frame, or a path of boxes, one per frame (an object followed). */
export type TubeBoxes = PixelBox | readonly PixelBox[];

/** The box a tube is cut with in frame t. */
export function boxAt(boxes: TubeBoxes, t: number): PixelBox {
  if (!Array.isArray(boxes)) return boxes as PixelBox;
  const box = (boxes as readonly PixelBox[])[t];
  if (box === undefined) throw new Error(`tube crop: a path of ${(boxes as readonly PixelBox[]).length} boxes has no box for frame ${t}`);
  return box;
}

/** Throws a specific error unless the tube's box (or each box of its path, one per frame) is whole pixels inside the frame. */
export function checkTubeBoxes(boxes: TubeBoxes, i: number, frames: number, width: number, height: number): void {
  if (!Array.isArray(boxes)) return checkBox(boxes as PixelBox, i, width, height);
  const path = boxes as readonly PixelBox[];
  if (path.length !== frames) throw new Error(`tube crop: tube ${i} has a path of ${path.length} boxes for ${frames} frames`);
  path.forEach((box) => checkBox(box, i, width, height));
}

/** Throws a specific error unless every frame is width × height × 3 bytes. */
export function checkRgbWindow(window: RgbWindow): void {
  const { width, height } = window;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new Error(`tube crop: the frame size must be whole positive pixels, got ${width}×${height}`);
  }
  if (window.frames.length < 1) throw new Error('tube crop: the window has no frames');
  const bytes = width * height * 3;
  window.frames.forEach((frame, i) => {
    if (frame.length !== bytes) throw new Error(`tube crop: frame ${i} has ${frame.length} bytes, ${width}×${height} rgb24 needs ${bytes}`);
  });
}

function checkBox(box: PixelBox, i: number, width: number, height: number): void {
  const whole = [box.x, box.y, box.width, box.height].every(Number.isInteger);
  if (!whole || box.width < 1 || box.height < 1 || box.x < 0 || box.y < 0 || box.x + box.width > width || box.y + box.height > height) {
    throw new Error(`tube crop: box ${i} (${box.x}, ${box.y}, ${box.width}×${box.height}) is not whole pixels inside the ${width}×${height} frame`);
  }
}

/**
 * A pixel box as cropAndResize's normalised [y1, x1, y2, x2]: the first and last sample fall on the
 * centres of the box's first and last pixel rows/columns (an S-pixel box resized to S copies its pixels).
 */
export function normalisedBox(box: PixelBox, width: number, height: number): [number, number, number, number] {
  const spanY = Math.max(1, height - 1);
  const spanX = Math.max(1, width - 1);
  return [box.y / spanY, box.x / spanX, (box.y + box.height - 1) / spanY, (box.x + box.width - 1) / spanX];
}

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 1) throw new Error(`tube crop: the tube size must be a whole number ≥ 1, got ${size}`);
}

/**
 * Every tube cut out of every frame of the window (a box, or a path of one box per frame) and resized to
 * size × size (bilinear), in one batched cropAndResize: tubes [N, L frames, S, S, 3], float32 in 0..1.
 * The caller disposes the result.
 */
export function cropTubes(window: RgbWindow, boxes: readonly TubeBoxes[], size: number = TUBE_SIZE): tf.Tensor5D {
  checkRgbWindow(window);
  checkSize(size);
  const { width, height } = window;
  boxes.forEach((box, i) => checkTubeBoxes(box, i, window.frames.length, width, height));
  if (boxes.length === 0) return tf.zeros([0, window.frames.length, size, size, 3]);
  // float32 straight away: V8 converts bytes to Float32Array faster than to Int32Array, and wasm need not cast.
  const pixels = new Float32Array(window.frames.length * width * height * 3);
  window.frames.forEach((frame, t) => pixels.set(frame, t * frame.length));
  return tf.tidy(() => cropTubesFromImages(tf.tensor4d(pixels, [window.frames.length, height, width, 3]), boxes, size));
}

/**
 * The same from frames already on the backend, [L, H, W, 3] with values 0..255 (any dtype): a scorer that
 * keeps each frame's tensor while it stays in the sliding window uploads every frame once, not L times.
 */
export function cropTubesFromImages(images: tf.Tensor4D, boxes: readonly TubeBoxes[], size: number = TUBE_SIZE): tf.Tensor5D {
  checkSize(size);
  const [frames, height, width, channels] = images.shape;
  if (channels !== 3) throw new Error(`tube crop: frames need 3 channels, got ${channels}`);
  boxes.forEach((box, i) => checkTubeBoxes(box, i, frames, width, height));
  if (boxes.length === 0) return tf.zeros([0, frames, size, size, 3]);
  const coords = new Float32Array(boxes.length * frames * 4);
  const frameOfBox = new Int32Array(boxes.length * frames);
  boxes.forEach((tube, n) => {
    for (let t = 0; t < frames; t++) {
      coords.set(normalisedBox(boxAt(tube, t), width, height), (n * frames + t) * 4);
      frameOfBox[n * frames + t] = t;
    }
  });
  return tf.tidy(() => {
    const crops = tf.image.cropAndResize(
      images,
      tf.tensor2d(coords, [boxes.length * frames, 4]),
      tf.tensor1d(frameOfBox, 'int32'),
      [size, size],
      'bilinear',
    );
    return crops.div(255).reshape<tf.Tensor5D>([boxes.length, frames, size, size, 3]);
  });
}
