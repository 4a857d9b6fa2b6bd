import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../../../classify/worker/augment/test-clips.fixture.js';
import { Rng } from '../../../engine/random.js';
import { buildAnomalyModel } from '../model/anomaly-model.js';
import { regionScores } from '../model/anomaly-region-scores.js';
import { movingSquareTubes } from '../model/test-tubes.fixture.js';
import { middleFrameSamples } from '../tasks/task-samples.js';
import { ANOMALY_TASKS } from './frame-scores.js';
import { RegionScoreLog } from './region-score-log.js';
import { RegionBatcher, TubeBatcher, type BatchParts } from './tube-batcher.js';

const TASKS = [ANOMALY_TASKS.middleFrameError, ANOMALY_TASKS.backward, ANOMALY_TASKS.irregular];
let model: tf.LayersModel;

beforeAll(async () => {
  await useWasm();
  model = buildAnomalyModel({ size: 16, channels: 3, width: 4, depth: 2, teacherDim: 0 }, { seed: 3 });
});
afterAll(() => model.dispose());

describe('TubeBatcher', () => {
  it('scores once a batch is full, gives the scores scoring all tubes at once gives, and leaves no tensor', async () => {
    const before = tf.memory().numTensors;
    const all = movingSquareTubes(new Rng(4), { tubes: 7, frames: 7, size: 16, channels: 3 });
    const reference = await regionScores(model, all);
    const log = new RegionScoreLog(TASKS);
    const batcher = new TubeBatcher(model, log, 4);
    // Windows of 3, 2, 0 and 2 regions centred on frames 3, 6, 9 and 12.
    const split = [[0, 3, 3], [3, 2, 6], [5, 0, 9], [5, 2, 12]] as const;
    const regions = (start: number, count: number) => {
      // A window without regions comes as empty tensors, as cropSamples cuts them.
      if (count === 0) return { input: tf.zeros<tf.Rank.R5>([0, 6, 16, 16, 3]), target: tf.zeros<tf.Rank.R4>([0, 16, 16, 3]) };
      const tubes = tf.slice(all, [start, 0, 0, 0, 0], [count, -1, -1, -1, -1]);
      const samples = middleFrameSamples(tubes);
      tubes.dispose();
      return samples;
    };
    const scored: boolean[] = [];
    const boxesOf = (start: number, count: number) => Array.from({ length: count }, (_, i) => ({ x: start + i, y: 2, width: 16, height: 16 }));
    for (const [start, count, centre] of split) scored.push(await batcher.add(regions(start, count), centre, boxesOf(start, count)));
    expect(scored).toEqual([false, true, false, false]);
    expect(batcher.waiting).toBe(2);
    await batcher.flush();
    expect(batcher.waiting).toBe(0);
    const { centres, scores } = log.toRegionTaskScores();
    expect(Array.from(centres)).toEqual([3, 3, 3, 6, 6, 12, 12]);
    // Each region keeps the box it was cut from, in the same order as its scores.
    expect(Array.from(log.toRegionBoxes().filter((_, i) => i % 4 === 0))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    Array.from(reference.backward).forEach((v, i) => expect(scores[ANOMALY_TASKS.backward]![i]).toBeCloseTo(v, 5));
    Array.from(reference.middleFrameError).forEach((v, i) => expect(scores[ANOMALY_TASKS.middleFrameError]![i]).toBeCloseTo(v, 5));
    all.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('drops waiting tubes on dispose and rejects a bad batch size', async () => {
    const before = tf.memory().numTensors;
    const log = new RegionScoreLog(TASKS);
    const batcher = new TubeBatcher(model, log, 8);
    const tubes = movingSquareTubes(new Rng(1), { tubes: 2, frames: 7, size: 16, channels: 3 });
    const box = { x: 0, y: 0, width: 16, height: 16 };
    await batcher.add(middleFrameSamples(tubes), 3, [box, box]);
    await expect(batcher.add(middleFrameSamples(tubes), 3, [box])).rejects.toThrow(/2 regions cut from 1 boxes/);
    tubes.dispose();
    batcher.dispose();
    expect(log.count).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new TubeBatcher(model, log, 0)).toThrow(/batchSize must be a whole number ≥ 1, got 0/);
  });
});

describe('RegionBatcher', () => {
  /** Parts that are region counts, scored after a delay in the order given; batch `failing` (0-based) fails. */
  function countedParts(failing: number | null): BatchParts<number> & { scored: number[][]; released: number } {
    const parts = {
      scored: [] as number[][],
      released: 0,
      rows: (part: number) => part,
      score: async (batch: readonly number[]) => {
        const index = parts.scored.length;
        parts.scored.push([...batch]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (index === failing) throw new Error(`batch ${index} failed`);
        const regions = batch.reduce((a, b) => a + b, 0);
        const values = Float32Array.from({ length: regions }, (_, i) => index + i / 100);
        return { middleFrameError: values, backward: values, irregular: values, teacherGap: null };
      },
      release: (batch: readonly number[]) => {
        parts.released += batch.length;
      },
    };
    return parts;
  }
  const boxes = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i, y: 0, width: 4, height: 4 }));

  it('sends a full batch without waiting for it, and logs every batch in the order cut once flushed', async () => {
    const log = new RegionScoreLog(TASKS);
    const parts = countedParts(null);
    const batcher = new RegionBatcher(log, 3, parts);
    expect(await batcher.add(2, 3, boxes(2))).toBe(false);
    expect(await batcher.add(2, 6, boxes(2))).toBe(true);
    // Sent, not yet scored: the next window is cut meanwhile.
    expect(log.count).toBe(0);
    expect(await batcher.add(3, 9, boxes(3))).toBe(true);
    await batcher.flush();
    expect(parts.scored).toEqual([[2, 2], [3]]);
    expect(Array.from(log.toRegionTaskScores().centres)).toEqual([3, 3, 6, 6, 9, 9, 9]);
    expect(parts.released).toBe(3);
  });

  it('a batch that fails is an error at the next add or flush, and what waits is dropped on dispose', async () => {
    const log = new RegionScoreLog(TASKS);
    const parts = countedParts(0);
    const batcher = new RegionBatcher(log, 2, parts);
    expect(await batcher.add(2, 3, boxes(2))).toBe(true);
    await expect(batcher.add(2, 6, boxes(2))).rejects.toThrow(/batch 0 failed/);
    expect(log.count).toBe(0);
    batcher.dispose();
    expect(batcher.waiting).toBe(0);
    expect(parts.released).toBe(2);
  });
});
