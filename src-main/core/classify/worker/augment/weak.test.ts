import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../engine/random.js';
import { at, clipTensor, randomClips, useWasm, valuesOf, type Dims } from './test-clips.fixture.js';
import { applyWeak, drawWeakParams, weakAugment, weakPad, type WeakParams } from './weak.js';

beforeAll(useWasm);

/** Reflect (without repeating the edge) an index into 0..size-1, as mirrorPad 'reflect'. */
function reflect(i: number, size: number): number {
  if (i < 0) return -i;
  if (i >= size) return 2 * (size - 1) - i;
  return i;
}

/** The weak transform computed pixel by pixel, the reference the tensor version must match. */
function referenceWeak(d: Dims, input: Float32Array, params: WeakParams[]): Float32Array {
  const out = new Float32Array(input.length);
  for (let n = 0; n < d.clips; n++) {
    const p = params[n] as WeakParams;
    for (let t = 0; t < d.frames; t++) {
      for (let y = 0; y < d.height; y++) {
        for (let x = 0; x < d.width; x++) {
          const sy = reflect(y - p.shiftY, d.height);
          const sx = reflect(p.flip ? d.width - 1 - x - p.shiftX : x - p.shiftX, d.width);
          for (let c = 0; c < 3; c++) out[at(d, n, t, y, x, c)] = input[at(d, n, t, sy, sx, c)] as number;
        }
      }
    }
  }
  return out;
}

/** Each row is a left-to-right ramp, the same on every frame and channel. */
function rampClips(d: Dims): Float32Array {
  const out = new Float32Array(d.clips * d.frames * d.height * d.width * 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(i / 3) % d.width / (d.width - 1);
  return out;
}

function leftHalfIsDarker(d: Dims, values: Float32Array, n: number): boolean {
  let left = 0;
  let right = 0;
  for (let t = 0; t < d.frames; t++) {
    for (let y = 0; y < d.height; y++) {
      for (let x = 0; x < d.width; x++) {
        const v = values[at(d, n, t, y, x, 0)] as number;
        if (x < d.width / 2) left += v;
        else right += v;
      }
    }
  }
  return left < right;
}

describe('applyWeak', () => {
  it('shifts with reflected borders and mirrors every frame of a clip exactly like a reflect-padded crop', () => {
    const d = { clips: 4, frames: 3, height: 16, width: 12 };
    const input = randomClips(d, 1);
    const params: WeakParams[] = [
      { flip: true, shiftY: 2, shiftX: -1 },
      { flip: false, shiftY: -2, shiftX: 2 },
      { flip: true, shiftY: 0, shiftX: 0 },
      { flip: false, shiftY: 0, shiftX: 0 },
    ];
    const x = clipTensor(d, input);
    const out = valuesOf(() => applyWeak(x, params));
    expect(Array.from(out)).toEqual(Array.from(referenceWeak(d, input, params)));
    expect(Array.from(x.dataSync())).toEqual(Array.from(input));
    x.dispose();
  });

  it('returns a new tensor for an all-identity batch and rejects a mismatched parameter list', () => {
    const d = { clips: 2, frames: 1, height: 8, width: 8 };
    const x = clipTensor(d, randomClips(d, 2));
    const same = applyWeak(x, [
      { flip: false, shiftY: 0, shiftX: 0 },
      { flip: false, shiftY: 0, shiftX: 0 },
    ]);
    expect(same).not.toBe(x);
    expect(Array.from(same.dataSync())).toEqual(Array.from(x.dataSync()));
    expect(() => applyWeak(x, [{ flip: true, shiftY: 0, shiftX: 0 }])).toThrow('augment: 1 weak parameter sets for a batch of 2 clips');
    tf.dispose([x, same]);
  });

  it('rejects a tensor that is not a batch of RGB clips', () => {
    const frames = tf.zeros([2, 8, 8, 3]);
    const grey = tf.zeros([1, 2, 8, 8, 1]);
    const rng = new Rng(1);
    expect(() => weakAugment(frames as tf.Tensor5D, rng, { flip: true })).toThrow(
      'augment: expected a clip batch [N, T, H, W, 3], got a rank 4 tensor [2, 8, 8, 3]',
    );
    expect(() => weakAugment(grey as tf.Tensor5D, rng, { flip: true })).toThrow('augment: expected 3 colour channels, got 1 in [1, 2, 8, 8, 1]');
    tf.dispose([frames, grey]);
  });
});

describe('drawWeakParams', () => {
  it('shifts by at most 1/8 of the side, both ways, and flips about half the clips only when allowed', () => {
    const flips = drawWeakParams(new Rng(3), 400, 64, 32, { flip: true });
    const noFlips = drawWeakParams(new Rng(3), 400, 64, 32, { flip: false });
    const flipped = flips.filter((p) => p.flip).length;
    expect(flipped).toBeGreaterThan(150);
    expect(flipped).toBeLessThan(250);
    expect(noFlips.some((p) => p.flip)).toBe(false);
    expect(noFlips.map((p) => [p.shiftY, p.shiftX])).toEqual(flips.map((p) => [p.shiftY, p.shiftX]));
    expect(weakPad(64)).toBe(8);
    expect(Math.min(...flips.map((p) => p.shiftY))).toBe(-8);
    expect(Math.max(...flips.map((p) => p.shiftY))).toBe(8);
    expect(Math.min(...flips.map((p) => p.shiftX))).toBe(-4);
    expect(Math.max(...flips.map((p) => p.shiftX))).toBe(4);
  });
});

describe('weakAugment', () => {
  const d = { clips: 16, frames: 2, height: 16, width: 16 };

  it('never mirrors a clip when flips are off, and mirrors some when they are on', () => {
    const x = clipTensor(d, rampClips(d));
    const off = valuesOf(() => weakAugment(x, new Rng(4), { flip: false }));
    const on = valuesOf(() => weakAugment(x, new Rng(4), { flip: true }));
    const clips = Array.from({ length: d.clips }, (_, n) => n);
    expect(clips.every((n) => leftHalfIsDarker(d, off, n))).toBe(true);
    const mirrored = clips.filter((n) => !leftHalfIsDarker(d, on, n)).length;
    expect(mirrored).toBeGreaterThan(2);
    expect(mirrored).toBeLessThan(14);
    x.dispose();
  });

  it('gives the same output for the same seed and another for another seed, leaking nothing', () => {
    const x = clipTensor(d, randomClips(d, 5));
    const before = tf.memory().numTensors;
    const a = valuesOf(() => weakAugment(x, new Rng(6), { flip: true }));
    const b = valuesOf(() => weakAugment(x, new Rng(6), { flip: true }));
    const c = valuesOf(() => weakAugment(x, new Rng(7), { flip: true }));
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    x.dispose();
  });
});
