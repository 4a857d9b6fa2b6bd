import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernels } from './register-cpu-kernels.js';
import { wasmBinaryDir } from './wasm-paths.js';

interface ResizeCase {
  images: [number, number, number, number];
  size: [number, number];
  alignCorners: boolean;
}

const CASES: ResizeCase[] = [
  { images: [3, 2, 2, 1], size: [4, 4], alignCorners: false },
  { images: [2, 4, 4, 8], size: [8, 8], alignCorners: false },
  { images: [2, 3, 5, 2], size: [7, 4], alignCorners: false },
  { images: [2, 4, 3, 3], size: [9, 7], alignCorners: true },
];

/** The gradient of Σ resize(x) · dy with respect to x, on the active backend. */
async function gradient({ images, size, alignCorners }: ResizeCase): Promise<Float32Array> {
  const [batch, , , depth] = images;
  const x = tf.zeros<tf.Rank.R4>(images);
  const dy = tf.tensor4d(Float32Array.from({ length: batch * size[0] * size[1] * depth }, (_, i) => Math.cos(0.7 * i)), [batch, ...size, depth]);
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as tf.Tensor4D, size, alignCorners), dy)))(x);
  try {
    return (await g.data()) as Float32Array;
  } finally {
    tf.dispose([x, dy, g]);
  }
}

beforeAll(async () => {
  setWasmPaths(wasmBinaryDir());
  expect(await tf.setBackend('wasm')).toBe(true);
  registerCpuKernels();
});

describe('the cpu ResizeNearestNeighborGrad', () => {
  it('gives every image of a batch its own gradient, as the wasm backend does', async () => {
    for (const c of CASES) {
      await tf.setBackend('wasm');
      const wasm = await gradient(c);
      await tf.setBackend('cpu');
      const cpu = await gradient(c);
      Array.from(cpu).forEach((v, i) => expect(v).toBeCloseTo(wasm[i] ?? NaN, 5));
    }
  });

  it('sums each 2×2 block of the upstream gradient for a ×2 upsampling', async () => {
    await tf.setBackend('cpu');
    const g = await gradient({ images: [2, 1, 1, 1], size: [2, 2], alignCorners: false });
    const dy = (i: number) => Math.cos(0.7 * i);
    expect(g[0]).toBeCloseTo(dy(0) + dy(1) + dy(2) + dy(3), 5);
    expect(g[1]).toBeCloseTo(dy(4) + dy(5) + dy(6) + dy(7), 5);
  });
});
