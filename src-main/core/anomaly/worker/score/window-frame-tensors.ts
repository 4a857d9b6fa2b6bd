import * as tf from '@tensorflow/tfjs';
import type { PixelBox } from '../regions/pixel-box.js';
import { boxAt, cropTubesFromImages, type TubeBoxes } from '../regions/tube-crop.js';
import type { MiddleFrameSamples } from '../tasks/task-samples.js';
import { BT601_LUMA } from '../../../imaging/grey.js';

/** A decoded frame as the scorer sees it: its index in the video and its rgb24 bytes. */
export interface IndexedFrame {
  index: number;
  rgb: Uint8Array;
}

/**
 * The frames of the sliding window on the backend, one [1, H, W, 3] tensor per frame: overlapping windows
 * share frames, so each frame is uploaded once however many windows it is in, and crops are cut from the
 * frames in place (no per-window stack of full frames). Frames are released as the window moves past them.
 */
export class WindowFrameTensors {
  private readonly frames = new Map<number, tf.Tensor4D>();

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  /** Frames held on the backend now (at most one window's worth while the caller releases as it goes). */
  get size(): number {
    return this.frames.size;
  }

  /**
   * What the model scores a window's boxes on, cut straight from the frames (float32, 0..1; C = 1 gives
   * luma (BT.601), C = 3 rgb): `input` the frames without the middle one [N, L − 1, S, S, C], in frame
   * order, and `target` the middle frame [N, S, S, C]. The same values as `middleFrameSamples` of the
   * whole tubes, without cutting the middle frame only to gather it out again (a gather over whole
   * tubes is slow on wasm). A tube is one box for every frame or a path of one box per frame of the window
   * (an object followed). The caller disposes both.
   */
  cropSamples(window: readonly IndexedFrame[], boxes: readonly TubeBoxes[], size: number, channels: number): MiddleFrameSamples {
    if (window.length < 3 || window.length % 2 === 0) {
      throw new Error(`tube crop: a window needs an odd frame count of at least 3 (frames either side of the middle one), got ${window.length}`);
    }
    boxes.forEach((tube, i) => {
      if (Array.isArray(tube) && tube.length !== window.length) throw new Error(`tube crop: tube ${i} has a path of ${tube.length} boxes for a ${window.length}-frame window`);
    });
    const images = this.uploadAll(window, channels);
    const middle = (window.length - 1) / 2;
    const inFrame = (t: number): PixelBox[] => boxes.map((tube) => boxAt(tube, t));
    const input = tf.tidy(() => joinFrames(images.flatMap((image, t) => (t === middle ? [] : [cropFrame(image, inFrame(t), size, channels)]))));
    const target = tf.tidy(() => cropFrame(images[middle]!, inFrame(middle), size, channels).reshape<tf.Tensor4D>([boxes.length, size, size, channels]));
    return { input, target };
  }

  /** Disposes the frames before `index` (no later window needs them). */
  releaseBefore(index: number): void {
    for (const [frame, tensor] of this.frames) {
      if (frame < index) {
        tensor.dispose();
        this.frames.delete(frame);
      }
    }
  }

  /** Disposes every frame held. Safe to call more than once. */
  dispose(): void {
    for (const tensor of this.frames.values()) tensor.dispose();
    this.frames.clear();
  }

  private uploadAll(window: readonly IndexedFrame[], channels: number): tf.Tensor4D[] {
    if (channels !== 1 && channels !== 3) throw new Error(`tube crop: the model takes ${channels} channels per frame; only 1 (grey) or 3 (rgb) can be cut`);
    return window.map((frame) => this.upload(frame));
  }

  private upload(frame: IndexedFrame): tf.Tensor4D {
    const held = this.frames.get(frame.index);
    if (held) return held;
    const bytes = this.width * this.height * 3;
    if (frame.rgb.length !== bytes) {
      throw new Error(`tube crop: frame ${frame.index} has ${frame.rgb.length} bytes, ${this.width}×${this.height} rgb24 needs ${bytes}`);
    }
    // float32 straight from the bytes: V8 converts Uint8Array → Float32Array fast and cropAndResize needs no cast.
    const tensor = tf.tensor4d(new Float32Array(frame.rgb), [1, this.height, this.width, 3]);
    this.frames.set(frame.index, tensor);
    return tensor;
  }
}

/** One frame's crops of every box [N, 1, S, S, C]: rgb, or luma (BT.601) when C = 1. */
function cropFrame(image: tf.Tensor4D, boxes: readonly PixelBox[], size: number, channels: number): tf.Tensor5D {
  const rgb = cropTubesFromImages(image, boxes, size);
  if (channels === 3) return rgb;
  return tf.sum(tf.mul(rgb, tf.tensor1d([...BT601_LUMA])), -1, true);
}

/** Per-frame crops joined along time. */
function joinFrames(perFrame: tf.Tensor5D[]): tf.Tensor5D {
  return perFrame.length === 1 ? perFrame[0]! : tf.concat<tf.Tensor5D>(perFrame, 1);
}
