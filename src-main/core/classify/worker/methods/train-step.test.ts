import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultTrainSettings, type TrainingMethod } from '../../../../shared/training.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { buildModel } from '../models/build-model.js';
import type { ModelSpec } from '../models/model-spec.js';
import { Rng } from '../../../engine/random.js';
import { EmaWeights } from './ema-weights.js';
import { FlexMatchThresholds } from './flexmatch-thresholds.js';
import { createOptimizer } from './optimizer.js';
import { trainStep, type TrainStepResult } from './train-step.js';

const spec: ModelSpec = { architecture: 'r2plus1d', classes: 2, frames: 4, size: 16, width: 4, depth: 2, dropout: 0.2 };

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

/** Class 0 clips get darker over time, class 1 brighter: only the time axis tells them apart. */
function batch(n: number, rng: Rng): { x: tf.Tensor5D; y: tf.Tensor1D; labels: number[] } {
  const { frames, size } = spec;
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const values = new Float32Array(n * frames * size * size * 3);
  let k = 0;
  for (const label of labels) {
    for (let t = 0; t < frames; t++) {
      const level = label === 1 ? t / (frames - 1) : 1 - t / (frames - 1);
      for (let p = 0; p < size * size * 3; p++) values[k++] = Math.min(1, Math.max(0, 0.2 + 0.6 * level + rng.uniform(-0.1, 0.1)));
    }
  }
  return {
    x: tf.tensor5d(values, [n, frames, size, size, 3]),
    y: tf.tensor1d(labels, 'int32'),
    labels,
  };
}

function settingsFor(method: TrainingMethod) {
  return { ...defaultTrainSettings(method), batchSize: 4, mu: 2, learningRate: 0.05 };
}

describe('trainStep', () => {
  it('supervised steps reduce the loss on a separable problem, with stable tensor counts', async () => {
    const rng = new Rng(1);
    const settings = settingsFor('supervised');
    const model = buildModel(spec, { seed: 1 });
    const optimizer = createOptimizer(settings);
    const ema = new EmaWeights(model, settings.emaDecay);
    const data = batch(8, rng);
    const results: TrainStepResult[] = [];
    let afterFirst = 0;
    for (let step = 0; step < 25; step++) {
      results.push(await trainStep({ model, optimizer, settings, labelled: data, step, totalSteps: 25, ema }));
      if (step === 0) afterFirst = tf.memory().numTensors;
      else expect(tf.memory().numTensors, `tensors after step ${step}`).toBe(afterFirst);
    }
    const first = results[0] as TrainStepResult;
    const last = results[results.length - 1] as TrainStepResult;
    expect(first.unsupervisedLoss).toBe(0);
    expect(first.maskRate).toBe(0);
    expect(first.learningRate).toBeCloseTo(0.05, 10);
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    expect(last.trainAccuracy).toBe(1);
    const evalAccuracy = tf.tidy(() => {
      const predicted = (model.predict(data.x) as tf.Tensor).argMax(1).dataSync();
      return Array.from(predicted).filter((p, i) => p === data.labels[i]).length / data.labels.length;
    });
    expect(evalAccuracy).toBe(1);
    tf.dispose([data.x, data.y]);
    ema.dispose();
    optimizer.dispose();
    model.dispose();
  });

  for (const method of ['pseudolabel', 'fixmatch', 'flexmatch'] as const) {
    it(`${method} steps run with finite losses and stable tensor counts`, async () => {
      const rng = new Rng(2);
      const settings = settingsFor(method);
      const model = buildModel(spec, { seed: 2 });
      const optimizer = createOptimizer(settings);
      const flex = new FlexMatchThresholds(16, spec.classes, settings.threshold, settings.flexWarmup);
      const labelled = batch(4, rng);
      const weak = batch(8, rng);
      const strong = batch(8, rng);
      let afterFirst = 0;
      const results: TrainStepResult[] = [];
      for (let step = 0; step < 4; step++) {
        results.push(
          await trainStep({
            model,
            optimizer,
            settings,
            labelled,
            unlabelledWeak: weak.x,
            unlabelledStrong: strong.x,
            indices: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => i + 8 * (step % 2)),
            step,
            totalSteps: 10,
            thresholds: flex,
          }),
        );
        if (step === 0) afterFirst = tf.memory().numTensors;
        else expect(tf.memory().numTensors, `tensors after step ${step}`).toBe(afterFirst);
      }
      for (const r of results) {
        for (const value of [r.loss, r.supervisedLoss, r.unsupervisedLoss, r.maskRate, r.trainAccuracy]) expect(Number.isFinite(value)).toBe(true);
        expect(r.maskRate).toBeGreaterThanOrEqual(0);
        expect(r.maskRate).toBeLessThanOrEqual(1);
        expect(r.loss).toBeCloseTo(r.supervisedLoss + r.lambdaU * r.unsupervisedLoss, 4);
      }
      if (method === 'pseudolabel') {
        // λu ramps over the first 40 % of the 10 steps.
        expect(results.map((r) => r.lambdaU)).toEqual([0, 0.25, 0.5, 0.75]);
      }
      if (method === 'flexmatch') {
        // Every threshold starts at 0: the first step's mask passes every unlabelled clip.
        expect(results[0]?.maskRate).toBe(1);
      }
      tf.dispose([labelled.x, labelled.y, weak.x, weak.y, strong.x, strong.y]);
      optimizer.dispose();
      model.dispose();
    });
  }

  it('says what a method is missing', async () => {
    const rng = new Rng(3);
    const model = buildModel(spec, { seed: 3 });
    const optimizer = createOptimizer(settingsFor('fixmatch'));
    const labelled = batch(2, rng);
    const weak = batch(2, rng);
    const base = { model, optimizer, labelled, step: 0, totalSteps: 10 };
    await expect(trainStep({ ...base, settings: settingsFor('fixmatch'), unlabelledWeak: weak.x })).rejects.toThrow(/fixmatch needs unlabelledStrong/);
    await expect(trainStep({ ...base, settings: settingsFor('pseudolabel') })).rejects.toThrow(/pseudolabel needs unlabelledWeak/);
    await expect(trainStep({ ...base, settings: settingsFor('flexmatch'), unlabelledWeak: weak.x, unlabelledStrong: weak.x, thresholds: new FlexMatchThresholds(4, 2, 0.95, true), indices: [0] }),
    ).rejects.toThrow(/one unlabelled index per row \(2 rows, 1 indices\)/);
    tf.dispose([labelled.x, labelled.y, weak.x, weak.y]);
    optimizer.dispose();
    model.dispose();
  });
});
