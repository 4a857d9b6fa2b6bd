/**
 * SVT's views of a clip, each resampled to the model's input [T, S, S]: a global view spans every frame and
 * the whole picture (weakly augmented: flip, shift); a local view is a smaller crop (a side of 0.4–0.7 of the
 * frame, DINO's local crops scaled up for tiny inputs) over a shorter span (half the frames, each shown twice),
 * weakly augmented too. The crop and the span differ from clip to clip.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/random.js';
import { clipBatchShape, foldFrames, repeatPerFrame, unfoldFrames } from './clip-batch.js';
import { weakAugment, type AugmentOptions } from './weak.js';

export const LOCAL_SIDE = { min: 0.4, max: 0.7 } as const;

/** Where a local view lies: normalised crop box [y1, x1, y2, x2] and the first frame of its span. */
export interface LocalViewParams {
  box: [number, number, number, number];
  firstFrame: number;
}

/** Frames a local view spans: half the clip's (at least one). */
export function localSpan(frames: number): number {
  return Math.max(1, Math.floor(frames / 2));
}

export function drawLocalParams(rng: Rng, clips: number, frames: number): LocalViewParams[] {
  const span = localSpan(frames);
  return Array.from({ length: clips }, () => {
    const side = rng.uniform(LOCAL_SIDE.min, LOCAL_SIDE.max);
    const y = rng.uniform(0, 1 - side);
    const x = rng.uniform(0, 1 - side);
    return { box: [y, x, y + side, x + side], firstFrame: rng.int(frames - span + 1) };
  });
}

/** The local views of `x` [n, T, S, S, 3] at `params`, back at [n, T, S, S, 3] (bilinear in space, each frame of the span repeated in time). */
export function applyLocal(x: tf.Tensor5D, params: readonly LocalViewParams[]): tf.Tensor5D {
  const shape = clipBatchShape(x);
  if (params.length !== shape.clips) throw new Error(`${params.length} local view parameters for ${shape.clips} clips`);
  const span = localSpan(shape.frames);
  return tf.tidy(() => {
    // Frame t of a local view shows frame first + ⌊t·span/T⌋ of the clip: the span stretched over T frames.
    const order = params.flatMap((p, clip) => Array.from({ length: shape.frames }, (_, t) => clip * shape.frames + p.firstFrame + Math.floor((t * span) / shape.frames)));
    const frames = tf.gather(foldFrames(x, shape), tf.tensor1d(order, 'int32'), 0);
    const boxes = repeatPerFrame(
      params.map((p) => p.box),
      shape.frames,
    );
    const count = shape.clips * shape.frames;
    const cropped = tf.image.cropAndResize(frames, tf.tensor2d(boxes.flat(), [count, 4]), tf.range(0, count, 1, 'int32'), [shape.height, shape.width], 'bilinear');
    return unfoldFrames(cropped, shape);
  });
}

/** `count` global views of every clip, view-major ([view 0 of every clip, view 1 of every clip, …]). */
export function globalViews(x: tf.Tensor5D, count: number, rng: Rng, augment: AugmentOptions): tf.Tensor5D {
  return tf.tidy(() => tf.concat(Array.from({ length: count }, () => weakAugment(x, rng, augment)), 0));
}

/** The student's views of every clip, view-major: `global` global views, then `local` local ones. */
export function studentViews(x: tf.Tensor5D, global: number, local: number, rng: Rng, augment: AugmentOptions): tf.Tensor5D {
  const shape = clipBatchShape(x);
  return tf.tidy(() => {
    const globals = globalViews(x, global, rng, augment);
    const locals = Array.from({ length: local }, () => weakAugment(applyLocal(x, drawLocalParams(rng, shape.clips, shape.frames)), rng, augment));
    return tf.concat([globals, ...locals], 0);
  });
}
