import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../engine/random.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { applyLocal, drawLocalParams, LOCAL_SIDE, localSpan, studentViews } from './svt-views.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

const FRAMES = 4;
const SIDE = 8;

/** Clips whose channel 0 says the frame (t/10), channel 1 the column (x/8) and channel 2 the row (y/8). */
function markedClips(clips: number): tf.Tensor5D {
  return tf.tidy(() => {
    const t = tf.range(0, FRAMES).div(10).reshape([1, FRAMES, 1, 1, 1]).tile([clips, 1, SIDE, SIDE, 1]);
    const x = tf.range(0, SIDE).div(SIDE).reshape([1, 1, 1, SIDE, 1]).tile([clips, FRAMES, SIDE, 1, 1]);
    const y = tf.range(0, SIDE).div(SIDE).reshape([1, 1, SIDE, 1, 1]).tile([clips, FRAMES, 1, SIDE, 1]);
    return tf.concat([t, x, y], 4) as tf.Tensor5D;
  });
}

/** Channel c of every frame of clip `clip` as [frame][pixel]. */
function channel(x: tf.Tensor5D, clip: number, c: number): number[][] {
  const values = tf.tidy(() => tf.slice(x, [clip, 0, 0, 0, c], [1, -1, -1, -1, 1]).reshape([FRAMES, SIDE * SIDE]).arraySync() as number[][]);
  return values;
}

describe('local views', () => {
  it('show a crop of the frame over half the frames, stretched back to the input size', () => {
    const clips = markedClips(1);
    const local = applyLocal(clips, [{ box: [0, 0, 0.5, 0.5], firstFrame: 1 }]);
    expect(local.shape).toEqual([1, FRAMES, SIDE, SIDE, 3]);
    // Frames 1 and 2 of the clip, each shown twice.
    expect(channel(local, 0, 0).map((f) => Math.round((f[0] ?? NaN) * 10))).toEqual([1, 1, 2, 2]);
    // The top-left half of the picture only: columns and rows within [0, 0.5] of the side.
    for (const c of [1, 2]) {
      const all = channel(local, 0, c).flat();
      expect(Math.max(...all)).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(Math.min(...all)).toBeGreaterThanOrEqual(0);
    }
    tf.dispose([clips, local]);
  });

  it('are drawn inside the frame and the clip, with sides between the bounds', () => {
    const params = drawLocalParams(new Rng(3), 50, FRAMES);
    for (const { box, firstFrame } of params) {
      const [y1, x1, y2, x2] = box;
      expect(y2 - y1).toBeCloseTo(x2 - x1, 10);
      expect(y2 - y1).toBeGreaterThanOrEqual(LOCAL_SIDE.min);
      expect(y2 - y1).toBeLessThanOrEqual(LOCAL_SIDE.max);
      expect(Math.min(y1, x1)).toBeGreaterThanOrEqual(0);
      expect(Math.max(y2, x2)).toBeLessThanOrEqual(1);
      expect(firstFrame + localSpan(FRAMES)).toBeLessThanOrEqual(FRAMES);
    }
    expect(new Set(params.map((p) => p.firstFrame)).size).toBeGreaterThan(1);
  });
});

describe("the student's views", () => {
  it('come view-major: global views over every frame and the whole picture, then local views over half the frames', () => {
    const clips = markedClips(3);
    const before = tf.memory().numTensors;
    const views = studentViews(clips, 2, 2, new Rng(5), { flip: false });
    expect(views.shape).toEqual([12, FRAMES, SIDE, SIDE, 3]);
    for (let row = 0; row < 12; row++) {
      const frames = channel(views, row, 0).map((f) => Math.round((f[0] ?? NaN) * 10));
      const columns = channel(views, row, 1).flat();
      if (row < 6) {
        // Global: every frame in order, and (shifted by at most 1/8) the picture's whole width.
        expect(frames).toEqual([0, 1, 2, 3]);
        expect(Math.max(...columns) - Math.min(...columns)).toBeGreaterThanOrEqual(0.75 - 1e-6);
      } else {
        expect(new Set(frames).size).toBe(localSpan(FRAMES));
        expect(Math.max(...columns) - Math.min(...columns)).toBeLessThanOrEqual(LOCAL_SIDE.max + 1e-6);
      }
    }
    views.dispose();
    expect(tf.memory().numTensors).toBe(before);
    clips.dispose();
  });
});
