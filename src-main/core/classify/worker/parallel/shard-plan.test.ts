import { describe, expect, it } from 'vitest';
import { MIN_ROWS_PER_SHARD, rowsPerStep, shardsPerStep, splitEvenly, splitStep, stepShape, trainingThreads } from './shard-plan.js';

const clip = (n: number): Uint8Array => Uint8Array.of(n);

describe('shard plan', () => {
  it('uses every core on wasm and cpu unless told otherwise, and one thread on the native backends', () => {
    expect(trainingThreads(0, 'wasm', 8)).toBe(8);
    expect(trainingThreads(3, 'cpu', 8)).toBe(3);
    expect(trainingThreads(0, 'node', 8)).toBe(1);
    expect(trainingThreads(4, 'node-gpu', 8)).toBe(1);
  });

  it('splits a step only while each shard keeps enough rows and a labelled clip', () => {
    // FixMatch at the defaults: 8 + 56 weak + 56 strong = 120 rows.
    expect(rowsPerStep({ method: 'fixmatch', batchSize: 8, mu: 7 })).toBe(120);
    expect(shardsPerStep({ method: 'fixmatch', batchSize: 8, mu: 7 }, 2)).toBe(2);
    expect(shardsPerStep({ method: 'fixmatch', batchSize: 8, mu: 7 }, 16)).toBe(Math.floor(120 / MIN_ROWS_PER_SHARD));
    // Supervised at B = 8 is one small forward: splitting it would only add overhead and noisy batch norm.
    expect(shardsPerStep({ method: 'supervised', batchSize: 8, mu: 7 }, 2)).toBe(1);
    expect(shardsPerStep({ method: 'supervised', batchSize: 64, mu: 7 }, 2)).toBe(2);
    // Never more shards than labelled clips.
    expect(shardsPerStep({ method: 'fixmatch', batchSize: 3, mu: 16 }, 8)).toBe(3);
  });

  it('splits a pretraining step by its own rows: every clip and its double-speed copy, supervised runs too', () => {
    expect(rowsPerStep({ method: 'supervised', batchSize: 8, mu: 7 }, 'pretrain')).toBe(192);
    expect(shardsPerStep({ method: 'supervised', batchSize: 8, mu: 7 }, 2, 'pretrain')).toBe(2);
    // SVT: one row per student view (2 global, 2 local) of every clip; its teacher runs outside the split step.
    expect(rowsPerStep({ method: 'supervised', batchSize: 8, mu: 7, pretrainObjective: 'svt' }, 'pretrain')).toBe(256);
    expect(stepShape({ method: 'supervised', batchSize: 8, mu: 7, pretrainObjective: 'svt' }, 'pretrain', 1)).toMatchObject({ rowsPerLabelled: 4, rowsPerUnlabelled: 4 });
    // VideoSSL forwards one view of each unlabelled clip.
    expect(rowsPerStep({ method: 'videossl', batchSize: 8, mu: 7 })).toBe(64);
  });

  it("hands each shard the teacher's rows of its own clips", () => {
    const row = (n: number): Float32Array => Float32Array.of(n);
    const shards = splitStep(
      {
        labelled: [0, 1, 2].map(clip),
        labels: [0, 1, 0],
        unlabelled: [3, 4, 5, 6].map(clip),
        unlabelledIndices: [0, 1, 2, 3],
        teacher: { labelled: [0, 1, 2].map(row), unlabelled: [3, 4, 5, 6].map(row) },
      },
      2,
    );
    expect(shards.map((s) => s.teacher?.labelled.map((r) => r[0]))).toEqual([[0, 1], [2]]);
    expect(shards.map((s) => s.teacher?.unlabelled.map((r) => r[0]))).toEqual([[3, 4], [5, 6]]);
  });

  it('splits evenly, longer parts first', () => {
    expect(splitEvenly([1, 2, 3, 4, 5], 2)).toEqual([[1, 2, 3], [4, 5]]);
    expect(splitEvenly([1, 2], 3)).toEqual([[1], [2], []]);
  });

  it('gives each shard its share of the labelled and unlabelled clips, in order', () => {
    const batch = {
      labelled: [0, 1, 2].map(clip),
      labels: [5, 6, 7],
      unlabelled: [10, 11, 12, 13, 14, 15, 16].map(clip),
      unlabelledIndices: [40, 41, 42, 43, 44, 45, 46],
    };
    const shards = splitStep(batch, 2);
    expect(shards.map((s) => s.labels)).toEqual([[5, 6], [7]]);
    expect(shards.map((s) => s.unlabelledIndices)).toEqual([[40, 41, 42, 43], [44, 45, 46]]);
    expect(shards.map((s) => s.unlabelled.map((u) => u[0]))).toEqual([[10, 11, 12, 13], [14, 15, 16]]);
    expect(shards.map((s) => s.share)).toEqual([
      { labelled: 2 / 3, unlabelled: 4 / 7, clips: 6 / 10 },
      { labelled: 1 / 3, unlabelled: 3 / 7, clips: 4 / 10 },
    ]);
  });

  it('makes at most one shard per unlabelled clip; past one per labelled clip, shards hold unlabelled clips only', () => {
    const shards = splitStep({ labelled: [clip(0)], labels: [1], unlabelled: [clip(1), clip(2)], unlabelledIndices: [0, 1] }, 4);
    expect(shards.map((s) => [s.labels, s.unlabelledIndices])).toEqual([
      [[1], [0]],
      [[], [1]],
    ]);
    expect(shards.map((s) => s.share)).toEqual([
      { labelled: 1, unlabelled: 0.5, clips: 2 / 3 },
      { labelled: 0, unlabelled: 0.5, clips: 1 / 3 },
    ]);
    const supervised = splitStep({ labelled: [clip(0), clip(1)], labels: [0, 1], unlabelled: [], unlabelledIndices: [] }, 3);
    expect(supervised.map((s) => s.share)).toEqual([
      { labelled: 0.5, unlabelled: 0, clips: 0.5 },
      { labelled: 0.5, unlabelled: 0, clips: 0.5 },
    ]);
  });

  it("describes a step's clips and the rows each runs through the network, for the memory plan", () => {
    expect(stepShape({ method: 'mvpl', batchSize: 8, mu: 7 }, 'train', 2)).toEqual({ labelled: 8, unlabelled: 56, rowsPerLabelled: 3, rowsPerUnlabelled: 6, shards: 2 });
    expect(stepShape({ method: 'supervised', batchSize: 8, mu: 7 }, 'train', 1)).toEqual({ labelled: 8, unlabelled: 0, rowsPerLabelled: 1, rowsPerUnlabelled: 0, shards: 1 });
    expect(stepShape({ method: 'supervised', batchSize: 8, mu: 7 }, 'pretrain', 1)).toEqual({ labelled: 8, unlabelled: 56, rowsPerLabelled: 3, rowsPerUnlabelled: 3, shards: 1 });
  });
});
