import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onWasmWithoutLeaks } from '../../../../../tests/fixtures/tf-wasm.js';
import { Rng } from '../../../engine/random.js';
import { cropHostTubes, joinHostTubes, middleFrames } from './host-tube-crop.js';
import { cropTubes, type TubeBoxes } from './tube-crop.js';
import type { PixelBox } from './pixel-box.js';

onWasmWithoutLeaks();

const W = 37;
const H = 23;
/** Seven frames of random bytes: every crop value depends on the exact pixels and weights it was taken from. */
function randomFrames(seed: number, frames = 7): Uint8Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: frames }, () => Uint8Array.from({ length: W * H * 3 }, () => rng.int(256)));
}

function expectClose(got: Float32Array, expected: Float32Array): void {
  expect(got.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
  expect(worst).toBeLessThan(1e-5);
}

describe('cropHostTubes', () => {
  it('cuts the values cropAndResize cuts on the backend: shrunk, enlarged, one pixel, a followed path and a whole frame', () => {
    const frames = randomFrames(1);
    const path = Array.from({ length: 7 }, (_, t): PixelBox => ({ x: 3 + 2 * t, y: 1 + t, width: 11, height: 13 }));
    const tubes: TubeBoxes[] = [
      { x: 0, y: 0, width: W, height: H },
      { x: 5, y: 4, width: 4, height: 3 },
      { x: 36, y: 22, width: 1, height: 1 },
      path,
      { x: 10, y: 2, width: 20, height: 20 },
    ];
    for (const size of [1, 8, 16]) {
      const host = cropHostTubes(frames, W, H, tubes, size, 3);
      const expected = cropTubes({ frames, width: W, height: H }, tubes, size);
      expect([host.regions, host.frames, host.size, host.channels]).toEqual([5, 7, size, 3]);
      expectClose(host.data, expected.dataSync() as Float32Array);
      expected.dispose();
    }
  });

  it('gives BT.601 luma for a one-channel model, as the backend crop does', () => {
    const frames = randomFrames(2, 3);
    const tubes = [{ x: 2, y: 3, width: 9, height: 7 }];
    const grey = cropHostTubes(frames, W, H, tubes, 6, 1);
    const expected = tf.tidy(() => tf.sum(tf.mul(cropTubes({ frames, width: W, height: H }, tubes, 6), tf.tensor1d([0.299, 0.587, 0.114])), -1, true));
    expectClose(grey.data, expected.dataSync() as Float32Array);
    expected.dispose();
  });

  it('joins windows into one batch in order and takes out each tube’s middle frame', () => {
    const frames = randomFrames(3);
    const a = cropHostTubes(frames, W, H, [{ x: 0, y: 0, width: 8, height: 8 }], 4, 3);
    const b = cropHostTubes(frames, W, H, [{ x: 9, y: 9, width: 8, height: 8 }, { x: 20, y: 1, width: 8, height: 8 }], 4, 3);
    const batch = joinHostTubes([a, b]);
    expect(batch.regions).toBe(3);
    expect(Array.from(batch.data)).toEqual([...a.data, ...b.data]);
    const plane = 4 * 4 * 3;
    const middle = middleFrames(batch);
    expect(Array.from(middle.subarray(plane, 2 * plane))).toEqual(Array.from(b.data.subarray(3 * plane, 4 * plane)));
    expect(joinHostTubes([a])).toBe(a);
    expect(() => joinHostTubes([a, cropHostTubes(frames, W, H, [], 5, 3)])).toThrow(/different shapes/);
  });

  it('says what is wrong with a box outside the frame, a short path, a wrong frame size or an odd channel count', () => {
    const frames = randomFrames(4, 3);
    expect(() => cropHostTubes(frames, W, H, [{ x: 30, y: 0, width: 8, height: 8 }], 4, 3)).toThrow(/box 0 \(30, 0, 8×8\) is not whole pixels inside the 37×23 frame/);
    expect(() => cropHostTubes(frames, W, H, [[{ x: 0, y: 0, width: 4, height: 4 }]], 4, 3)).toThrow(/tube 0 has a path of 1 boxes for 3 frames/);
    expect(() => cropHostTubes([new Uint8Array(9)], W, H, [], 4, 3)).toThrow(/frame 0 has 9 bytes, 37×23 rgb24 needs 2553/);
    expect(() => cropHostTubes(frames, W, H, [], 4, 2)).toThrow(/takes 2 channels per frame/);
    expect(() => cropHostTubes(frames, W, H, [], 0, 3)).toThrow(/tube size must be a whole number ≥ 1, got 0/);
  });
});
