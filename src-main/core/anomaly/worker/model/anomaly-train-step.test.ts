import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { Rng } from '../../../engine/random.js';
import { buildTaskSamples, disposeTaskSamples, taskSourceFrames, type TaskSamples } from '../tasks/task-samples.js';
import { buildAnomalyModel } from './anomaly-model.js';
import type { AnomalyModelSpec } from './anomaly-model-spec.js';
import { regionScores } from './anomaly-region-scores.js';
import { anomalyTrainStep, createAnomalyOptimizer, DISTILLATION_WEIGHT, type AnomalyTrainStepResult } from './anomaly-train-step.js';
import { movingSquareTubes } from './test-tubes.fixture.js';

const tiny: AnomalyModelSpec = { size: 16, channels: 1, width: 4, depth: 2, teacherDim: 0 };

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  expect(tf.getBackend()).toBe('wasm');
});

function sourceTubes(rng: Rng, tubes: number): tf.Tensor5D {
  return movingSquareTubes(rng, { tubes, frames: taskSourceFrames(), size: tiny.size, channels: tiny.channels });
}

function fixedSamples(seed: number, tubes: number): TaskSamples {
  const source = sourceTubes(new Rng(seed), tubes);
  try {
    return buildTaskSamples(source, new Rng(seed + 1));
  } finally {
    source.dispose();
  }
}

describe('anomalyTrainStep', () => {
  it('reduces the total loss over a few steps on a fixed batch, with each term reported and summed as L', async () => {
    const model = buildAnomalyModel({ ...tiny, teacherDim: 4 }, { seed: 1 });
    const optimizer = createAnomalyOptimizer();
    const samples = fixedSamples(5, 8);
    const teacherTarget = tf.randomUniform<tf.Rank.R2>([8, 4], 0, 1, 'float32', 9);
    const results: AnomalyTrainStepResult[] = [];
    for (let step = 0; step < 15; step++) results.push(await anomalyTrainStep({ model, optimizer, samples, teacherTarget }));
    for (const r of results) {
      expect(r.teacherLoss).not.toBeNull();
      const sum = r.middleFrameLoss + r.arrowLoss + r.irregularLoss + DISTILLATION_WEIGHT * (r.teacherLoss ?? NaN);
      expect(r.loss).toBeCloseTo(sum, 5);
      expect(r.arrowAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.arrowAccuracy).toBeLessThanOrEqual(1);
    }
    const first = results[0]!;
    const last = results[results.length - 1]!;
    expect(last.loss).toBeLessThan(0.9 * first.loss);
    expect(last.middleFrameLoss).toBeLessThan(first.middleFrameLoss);
    expect(last.arrowLoss).toBeLessThan(first.arrowLoss);
    expect(last.irregularLoss).toBeLessThan(first.irregularLoss);
    expect(last.teacherLoss!).toBeLessThan(first.teacherLoss!);
    disposeTaskSamples(samples);
    teacherTarget.dispose();
    optimizer.dispose();
    model.dispose();
  });

  it('leaves no tensors behind after steps and scoring, nor once the model and optimizer are disposed', async () => {
    const start = tf.memory().numTensors;
    const model = buildAnomalyModel({ ...tiny, teacherDim: 2 }, { seed: 2 });
    const optimizer = createAnomalyOptimizer();
    const samples = fixedSamples(6, 4);
    const teacherTarget = tf.ones<tf.Rank.R2>([4, 2]);
    const tubes = movingSquareTubes(new Rng(3), { tubes: 3, frames: 7, size: 16, channels: 1 });
    const teacherFeatures = tf.zeros<tf.Rank.R2>([3, 2]);
    await anomalyTrainStep({ model, optimizer, samples, teacherTarget }); // creates Adam's moment variables
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) await anomalyTrainStep({ model, optimizer, samples, teacherTarget });
    // A step without the teacher target still lines Adam's moments up with the right variables.
    const plain = await anomalyTrainStep({ model, optimizer, samples });
    expect(plain.teacherLoss).toBeNull();
    expect(Number.isFinite(plain.loss)).toBe(true);
    expect((await regionScores(model, tubes, { teacherFeatures })).teacherGap).toHaveLength(3);
    expect(tf.memory().numTensors).toBe(before);
    disposeTaskSamples(samples);
    tf.dispose([teacherTarget, tubes, teacherFeatures]);
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('learns the arrow of time on moving squares: P(backward) tells held-out reversed tubes from forward ones', async () => {
    const model = buildAnomalyModel(tiny, { seed: 1 });
    const optimizer = createAnomalyOptimizer(3e-3);
    const rng = new Rng(3);
    let last: AnomalyTrainStepResult | null = null;
    for (let step = 0; step < 80; step++) {
      const source = sourceTubes(rng, 16);
      const samples = buildTaskSamples(source, rng);
      last = await anomalyTrainStep({ model, optimizer, samples });
      disposeTaskSamples(samples);
      source.dispose();
    }
    expect(last?.arrowLoss).toBeLessThan(0.5);
    const forward = movingSquareTubes(new Rng(99), { tubes: 32, frames: 7, size: 16, channels: 1 });
    const reversed = tf.reverse(forward, 1);
    const pForward = (await regionScores(model, forward)).backward;
    const pReversed = (await regionScores(model, reversed)).backward;
    const correct = pForward.filter((p) => p < 0.5).length + pReversed.filter((p) => p > 0.5).length;
    expect(correct / 64).toBeGreaterThan(0.85);
    tf.dispose([forward, reversed]);
    optimizer.dispose();
    model.dispose();
  });

  it('rejects batches that do not fit the model, saying what was expected', async () => {
    const model = buildAnomalyModel(tiny, { seed: 1 });
    const optimizer = createAnomalyOptimizer();
    const samples = fixedSamples(7, 2);
    const teacherTarget = tf.zeros<tf.Rank.R2>([2, 3]);
    await expect(anomalyTrainStep({ model, optimizer, samples, teacherTarget })).rejects.toThrow(/the model has no distillation head/);
    const fewLabels = { ...samples, arrow: { input: samples.arrow.input, labels: tf.tensor1d([1], 'int32') } };
    await expect(anomalyTrainStep({ model, optimizer, samples: fewLabels })).rejects.toThrow(/arrow of time: 2 inputs but 1 labels/);
    const wide = buildAnomalyModel({ ...tiny, size: 32 }, { seed: 1 });
    await expect(anomalyTrainStep({ model: wide, optimizer, samples })).rejects.toThrow(/arrow of time: the model takes \[N, 6, 32, 32, 1\], got \[2, 6, 16, 16, 1\]/);
    expect(() => createAnomalyOptimizer(0)).toThrow(/learning rate must be a number > 0/);
    disposeTaskSamples(samples);
    tf.dispose([teacherTarget, fewLabels.arrow.labels]);
    optimizer.dispose();
    model.dispose();
    wide.dispose();
  });
});
