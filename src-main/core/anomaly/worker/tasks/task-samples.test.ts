import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onWasmWithoutLeaks } from '../../../../../tests/fixtures/tf-wasm.js';
import { Rng } from '../../../engine/random.js';
import { drawIrregularParams, irregularSourceFrames, stepOffsets, type IrregularParams } from './irregular-steps.js';
import {
  arrowOfTimeSamples,
  buildTaskSamples,
  disposeTaskSamples,
  drawArrowParams,
  irregularitySamples,
  middleFrameSamples,
  taskSourceFrames,
} from './task-samples.js';

onWasmWithoutLeaks();

const SIZE = 3;
const CHANNELS = 3;

/** Tubes whose every value in frame t of tube n is 100·n + t: a sample's frames name their source. */
function indexTubes(count: number, frames: number): tf.Tensor5D {
  const frameSize = SIZE * SIZE * CHANNELS;
  const values = new Float32Array(count * frames * frameSize);
  for (let n = 0; n < count; n++) {
    for (let t = 0; t < frames; t++) values.fill(100 * n + t, (n * frames + t) * frameSize, (n * frames + t + 1) * frameSize);
  }
  return tf.tensor5d(values, [count, frames, SIZE, SIZE, CHANNELS]);
}

/** The source index of every frame of `[N, K, S, S, C]` (checking each frame is one index throughout). */
function frameIndices(x: tf.Tensor): number[][] {
  const [count, frames] = x.shape as [number, number];
  const values = x.dataSync();
  const frameSize = values.length / (count * frames);
  return Array.from({ length: count }, (_, n) =>
    Array.from({ length: frames }, (_, k) => {
      const start = (n * frames + k) * frameSize;
      const frame = Array.from(values.slice(start, start + frameSize));
      expect(new Set(frame).size).toBe(1);
      return frame[0]!;
    }),
  );
}

describe('arrow of time', () => {
  it('takes the 6 non-middle frames i−3..i+3, reversed where drawn (label 1 = reversed)', () => {
    const tubes = indexTubes(3, 7);
    const { input, labels } = arrowOfTimeSamples(tubes, [{ reversed: false }, { reversed: true }, { reversed: true }]);
    expect(input.shape).toEqual([3, 6, SIZE, SIZE, CHANNELS]);
    expect(frameIndices(input)).toEqual([
      [0, 1, 2, 4, 5, 6],
      [106, 105, 104, 102, 101, 100],
      [206, 205, 204, 202, 201, 200],
    ]);
    expect(labels.dtype).toBe('int32');
    expect(Array.from(labels.dataSync())).toEqual([0, 1, 1]);
    tf.dispose([tubes, input, labels]);
  });

  it('uses the middle 7 frames of a longer source tube', () => {
    const tubes = indexTubes(1, 19);
    const { input, labels } = arrowOfTimeSamples(tubes, [{ reversed: true }]);
    expect(frameIndices(input)).toEqual([[12, 11, 10, 8, 7, 6]]);
    tf.dispose([tubes, input, labels]);
  });

  it('reverses about half the samples, reproducibly from a seed', () => {
    const draws = drawArrowParams(new Rng(5), 2000);
    const reversed = draws.filter((p) => p.reversed).length;
    expect(reversed).toBeGreaterThan(900);
    expect(reversed).toBeLessThan(1100);
    expect(drawArrowParams(new Rng(5), 2000)).toEqual(draws);
    expect(drawArrowParams(new Rng(5), 10, 0).every((p) => !p.reversed)).toBe(true);
  });
});

describe('motion irregularity', () => {
  it('places the steps so the middle of the 7 visited frames is the tube middle', () => {
    expect(stepOffsets([1, 1, 1, 1, 1, 1])).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(stepOffsets([3, 2, 3, 2, 2, 3])).toEqual([-8, -5, -3, 0, 2, 4, 7]);
    expect(stepOffsets([0, 1, 0, 0, 1, 1])).toEqual([-1, -1, 0, 0, 0, 1, 2]);
    expect(stepOffsets([0, 0, 0, 0, 0, 0])).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(() => stepOffsets([1, 1])).toThrow('6 steps join 7 frames, got 2');
    expect(() => stepOffsets([1, 1, -1, 1, 1, 1])).toThrow('whole numbers ≥ 0, got -1');
  });

  it('builds regular, faster (skips), slower (repeats) and frozen samples exactly; label 1 unless regular', () => {
    const tubes = indexTubes(4, 19);
    const params: IrregularParams[] = [
      { kind: 'regular', steps: [1, 1, 1, 1, 1, 1] },
      { kind: 'faster', steps: [3, 3, 3, 3, 3, 3] },
      { kind: 'slower', steps: [0, 1, 0, 0, 1, 1] },
      { kind: 'frozen', steps: [0, 0, 0, 0, 0, 0] },
    ];
    const { input, labels } = irregularitySamples(tubes, params);
    // The middle frame is 9; the middle of the 7 visited frames is left out.
    expect(frameIndices(input)).toEqual([
      [6, 7, 8, 10, 11, 12],
      [100, 103, 106, 112, 115, 118],
      [208, 208, 209, 209, 210, 211],
      [309, 309, 309, 309, 309, 309],
    ]);
    expect(Array.from(labels.dataSync())).toEqual([0, 1, 1, 1]);
    tf.dispose([tubes, input, labels]);
  });

  it('draws skips of 2 or 3 (faster), 0/1 steps with both (slower), all 0 (frozen), in the weighted shares', () => {
    const draws = drawIrregularParams(new Rng(9), 2000);
    const byKind = (kind: string) => draws.filter((p) => p.kind === kind);
    expect(byKind('regular').length / 2000).toBeCloseTo(0.5, 1);
    expect(byKind('faster').length / 2000).toBeCloseTo(0.25, 1);
    expect(byKind('slower').length / 2000).toBeCloseTo(0.15, 1);
    expect(byKind('frozen').length / 2000).toBeCloseTo(0.1, 1);
    expect(byKind('regular').every((p) => p.steps.every((s) => s === 1))).toBe(true);
    expect(byKind('frozen').every((p) => p.steps.every((s) => s === 0))).toBe(true);
    const fasterSteps = byKind('faster').flatMap((p) => p.steps);
    expect(new Set(fasterSteps)).toEqual(new Set([2, 3]));
    for (const p of byKind('slower')) {
      expect(p.steps.every((s) => s === 0 || s === 1)).toBe(true);
      expect(p.steps).toContain(0);
      expect(p.steps).toContain(1);
    }
    expect(drawIrregularParams(new Rng(9), 2000)).toEqual(draws);
  });

  it('needs 19 source frames for skips, 7 without them, and says so', () => {
    expect(irregularSourceFrames()).toBe(19);
    expect(irregularSourceFrames({ irregular: 0.5, weights: { faster: 0, slower: 1, frozen: 1 } })).toBe(7);
    const tubes = indexTubes(1, 7);
    expect(() => irregularitySamples(tubes, [{ kind: 'faster', steps: [2, 2, 2, 2, 2, 2] }])).toThrow(
      'tubes of 7 frames are too short, these samples need at least 13',
    );
    const slow = irregularitySamples(tubes, [{ kind: 'slower', steps: [1, 0, 1, 1, 0, 1] }]);
    expect(frameIndices(slow.input)).toEqual([[1, 2, 2, 4, 4, 5]]);
    tf.dispose([tubes, slow.input, slow.labels]);
    expect(() => drawIrregularParams(new Rng(1), 1, { irregular: 0.5, weights: { faster: 0, slower: 0, frozen: 0 } })).toThrow(
      'every kind has weight 0',
    );
  });
});

describe('middle-frame prediction', () => {
  it('inputs the 6 non-middle frames in order and targets the middle frame', () => {
    const tubes = indexTubes(2, 9);
    const { input, target } = middleFrameSamples(tubes);
    expect(frameIndices(input)).toEqual([
      [1, 2, 3, 5, 6, 7],
      [101, 102, 103, 105, 106, 107],
    ]);
    expect(target.shape).toEqual([2, SIZE, SIZE, CHANNELS]);
    const frameSize = SIZE * SIZE * CHANNELS;
    expect(Array.from(target.dataSync())).toEqual([...Array<number>(frameSize).fill(4), ...Array<number>(frameSize).fill(104)]);
    tf.dispose([tubes, input, target]);
  });
});

describe('buildTaskSamples', () => {
  it('builds all three tasks from one seeded draw, matching the per-task builders', () => {
    const tubes = indexTubes(6, taskSourceFrames());
    const samples = buildTaskSamples(tubes, new Rng(21));
    const again = buildTaskSamples(tubes, new Rng(21));
    expect(again.arrowParams).toEqual(samples.arrowParams);
    expect(again.irregularParams).toEqual(samples.irregularParams);

    const arrow = arrowOfTimeSamples(tubes, samples.arrowParams);
    const irregular = irregularitySamples(tubes, samples.irregularParams);
    expect(frameIndices(samples.arrow.input)).toEqual(frameIndices(arrow.input));
    expect(Array.from(samples.arrow.labels.dataSync())).toEqual(samples.arrowParams.map((p) => (p.reversed ? 1 : 0)));
    expect(frameIndices(samples.irregularity.input)).toEqual(frameIndices(irregular.input));
    expect(Array.from(samples.irregularity.labels.dataSync())).toEqual(samples.irregularParams.map((p) => (p.kind === 'regular' ? 0 : 1)));
    expect(frameIndices(samples.middle.input)[0]).toEqual([6, 7, 8, 10, 11, 12]);
    tf.dispose([arrow.input, arrow.labels, irregular.input, irregular.labels, tubes]);
    disposeTaskSamples(samples);
    disposeTaskSamples(again);
  });

  it('rejects tubes that are not a square float32 batch with an odd frame count long enough', () => {
    const short = indexTubes(1, 7);
    expect(() => buildTaskSamples(short, new Rng(1))).toThrow('tubes of 7 frames are too short, these samples need at least 19');
    const even = tf.zeros<tf.Rank.R5>([1, 8, 2, 2, 3]);
    expect(() => middleFrameSamples(even)).toThrow('odd frame count so its middle frame is defined, got 8');
    const oblong = tf.zeros<tf.Rank.R5>([1, 7, 2, 3, 3]);
    expect(() => middleFrameSamples(oblong)).toThrow('tubes must be square, got 2×3');
    const ints = tf.zeros<tf.Rank.R5>([1, 7, 2, 2, 3], 'int32');
    expect(() => middleFrameSamples(ints)).toThrow('expected float32 tubes, got int32');
    expect(() => arrowOfTimeSamples(short, [])).toThrow('0 parameter sets for 1 tubes');
    tf.dispose([short, even, oblong, ints]);
  });
});
