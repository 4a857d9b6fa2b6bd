import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/random.js';
import { checkParamCount, clipBatchShape, foldFrames, repeatPerFrame, unfoldFrames, type ClipBatchShape } from './clip-batch.js';

export interface AugmentOptions {
  /** Horizontal flips allowed: off when the classes depend on direction ("swipe left" / "swipe right"). */
  flip: boolean;
}

/** The weak transform of one clip, applied alike to all its frames. */
export interface WeakParams {
  /** Mirror left–right. */
  flip: boolean;
  /** Content shift in pixels (down / right positive), at most `weakPad(side)` either way; the border reflects. */
  shiftY: number;
  shiftX: number;
}

/** The reflect padding of the translate: 1/8 of the side (FixMatch). */
export function weakPad(side: number): number {
  return Math.min(Math.round(side / 8), side - 1);
}

export function drawWeakParams(rng: Rng, clips: number, height: number, width: number, options: AugmentOptions): WeakParams[] {
  const padY = weakPad(height);
  const padX = weakPad(width);
  const params: WeakParams[] = [];
  for (let i = 0; i < clips; i++) {
    // Drawn even when flips are off, so the shifts a seed gives do not depend on the flip setting.
    const flip = rng.bool() && options.flip;
    const shiftY = rng.int(2 * padY + 1) - padY;
    const shiftX = rng.int(2 * padX + 1) - padX;
    params.push({ flip, shiftY, shiftX });
  }
  return params;
}

function isIdentity(p: WeakParams): boolean {
  return !p.flip && p.shiftY === 0 && p.shiftX === 0;
}

/**
 * The wasm CropAndResize kernel (tfjs 4.22) copies a box that is exactly the crop size from the wrong
 * place (it drops the box's offset; the cpu kernel is right), so boxes end this far (in pixels) short
 * of it: nearest-neighbour rounding still lands on the same whole pixels.
 */
const CROP_SHRINK = 1e-3;

/** Crop box `[y1, x1, y2, x2]` (normalised to the padded frame) that shifts and, with x1 > x2, mirrors. */
function cropBox(p: WeakParams, shape: ClipBatchShape, padY: number, padX: number): [number, number, number, number] {
  const spanY = Math.max(1, shape.height + 2 * padY - 1);
  const spanX = Math.max(1, shape.width + 2 * padX - 1);
  const top = padY - p.shiftY;
  const left = padX - p.shiftX;
  const y1 = top / spanY;
  const y2 = (top + shape.height - 1 - CROP_SHRINK) / spanY;
  const x1 = left / spanX;
  const x2 = (left + shape.width - 1 - CROP_SHRINK) / spanX;
  return p.flip ? [y1, x2, y2, x1] : [y1, x1, y2, x2];
}

/**
 * Flip + translate with explicit per-clip parameters: reflect-pad every frame by 1/8 of the side, then
 * one nearest-neighbour crop per frame (exact pixel copies). mirrorPad + cropAndResize run natively on
 * wasm and take about half the time of `tf.image.transform` there.
 */
export function applyWeak(x: tf.Tensor5D, params: readonly WeakParams[]): tf.Tensor5D {
  const shape = clipBatchShape(x);
  checkParamCount('weak', params, shape);
  if (params.every(isIdentity)) return x.clone();
  const padY = weakPad(shape.height);
  const padX = weakPad(shape.width);
  return tf.tidy(() => {
    const frames = foldFrames(x, shape);
    const padded = padY + padX > 0 ? tf.mirrorPad(frames, [[0, 0], [padY, padY], [padX, padX], [0, 0]], 'reflect') : frames;
    const boxes = repeatPerFrame(
      params.map((p) => cropBox(p, shape, padY, padX)),
      shape.frames,
    );
    const count = shape.clips * shape.frames;
    const cropped = tf.image.cropAndResize(
      padded,
      tf.tensor2d(boxes.flat(), [count, 4]),
      tf.range(0, count, 1, 'int32'),
      [shape.height, shape.width],
      'nearest',
    );
    return unfoldFrames(cropped, shape);
  });
}

/** FixMatch's weak view: per clip a random flip (p = 0.5, only when allowed) and a reflect-padded shift of up to 1/8 of the side. */
export function weakAugment(x: tf.Tensor5D, rng: Rng, options: AugmentOptions): tf.Tensor5D {
  const shape = clipBatchShape(x);
  return applyWeak(x, drawWeakParams(rng, shape.clips, shape.height, shape.width, options));
}
