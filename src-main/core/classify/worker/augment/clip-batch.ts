import * as tf from '@tensorflow/tfjs';

/** The dimensions of a clip batch `[N, T, H, W, 3]`. */
export interface ClipBatchShape {
  clips: number;
  frames: number;
  height: number;
  width: number;
}

/** Checks that `x` is a float32 batch of RGB clips `[N, T, H, W, 3]` and returns its dimensions. */
export function clipBatchShape(x: tf.Tensor): ClipBatchShape {
  if (x.rank !== 5) throw new Error(`augment: expected a clip batch [N, T, H, W, 3], got a rank ${x.rank} tensor [${x.shape.join(', ')}]`);
  const [clips, frames, height, width, channels] = x.shape as [number, number, number, number, number];
  if (channels !== 3) throw new Error(`augment: expected 3 colour channels, got ${channels} in [${x.shape.join(', ')}]`);
  if (x.dtype !== 'float32') throw new Error(`augment: expected float32 values in 0..1, got ${x.dtype}`);
  return { clips, frames, height, width };
}

export function checkParamCount(what: string, params: readonly unknown[], shape: ClipBatchShape): void {
  if (params.length !== shape.clips) {
    throw new Error(`augment: ${params.length} ${what} parameter sets for a batch of ${shape.clips} clips`);
  }
}

/**
 * One value per clip as `[N, 1, 1, 1, 1]`: the wasm backend broadcasts this leading-axis shape on its
 * fast path, while broadcasting over the channel axis goes through a generic loop ~30× slower.
 */
export function perClip(values: readonly number[]): tf.Tensor5D {
  return tf.tensor5d(Float32Array.from(values), [values.length, 1, 1, 1, 1]);
}

/** Repeats each clip's row once per frame, for ops that take one row per image (frames folded into the batch). */
export function repeatPerFrame<T>(rows: readonly T[], frames: number): T[] {
  const out: T[] = [];
  for (const row of rows) for (let t = 0; t < frames; t++) out.push(row);
  return out;
}

/** `[N, T, H, W, 3]` → `[N·T, H, W, 3]`: the image ops work on a batch of frames. */
export function foldFrames(x: tf.Tensor5D, shape: ClipBatchShape): tf.Tensor4D {
  return x.reshape([shape.clips * shape.frames, shape.height, shape.width, 3]);
}

export function unfoldFrames(x: tf.Tensor4D, shape: ClipBatchShape): tf.Tensor5D {
  return x.reshape([shape.clips, shape.frames, shape.height, shape.width, 3]);
}
