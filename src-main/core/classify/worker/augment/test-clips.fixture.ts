import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { wasmBinaryDir } from '../../../engine/worker/backend/wasm-paths.js';
import { Rng } from '../../../engine/random.js';

// Shared by the augment tests: the wasm backend users here get, and clip batches with known content.

export async function useWasm(): Promise<void> {
  setWasmPaths(wasmBinaryDir());
  await tf.setBackend('wasm');
}

export interface Dims {
  clips: number;
  frames: number;
  height: number;
  width: number;
}

/** Index of (clip, frame, row, column, channel) in a flat `[N, T, H, W, 3]` array. */
export function at(d: Dims, n: number, t: number, y: number, x: number, c: number): number {
  return (((n * d.frames + t) * d.height + y) * d.width + x) * 3 + c;
}

/** 8-bit-like values (k/255) from a seeded generator. */
export function randomClips(d: Dims, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: d.clips * d.frames * d.height * d.width * 3 }, () => rng.int(256) / 255);
}

/** Random clips whose frames are all the same picture. */
export function stillClips(d: Dims, seed: number): Float32Array {
  const oneFrame = randomClips({ ...d, frames: 1 }, seed);
  const out = new Float32Array(d.clips * d.frames * d.height * d.width * 3);
  const frameSize = d.height * d.width * 3;
  for (let n = 0; n < d.clips; n++) {
    for (let t = 0; t < d.frames; t++) out.set(oneFrame.subarray(n * frameSize, (n + 1) * frameSize), (n * d.frames + t) * frameSize);
  }
  return out;
}

export function clipTensor(d: Dims, values: Float32Array): tf.Tensor5D {
  return tf.tensor5d(values, [d.clips, d.frames, d.height, d.width, 3]);
}

/** Runs `fn` and returns its output's values, checking it creates no lasting tensor besides that output. */
export function valuesOf(fn: () => tf.Tensor): Float32Array {
  const before = tf.memory().numTensors;
  const out = fn();
  const values = out.dataSync() as Float32Array;
  out.dispose();
  if (tf.memory().numTensors !== before) throw new Error(`leaked ${tf.memory().numTensors - before} tensors`);
  return values;
}

/** The values of one frame of one clip. */
export function frameOf(d: Dims, values: Float32Array, n: number, t: number): Float32Array {
  const size = d.height * d.width * 3;
  const start = (n * d.frames + t) * size;
  return values.slice(start, start + size);
}
