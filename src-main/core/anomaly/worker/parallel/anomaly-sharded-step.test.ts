import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { Rng } from '../../../engine/random.js';
import { buildTaskSamples, disposeTaskSamples, taskSourceFrames, type TaskSamples } from '../tasks/task-samples.js';
import { buildAnomalyModel } from '../model/anomaly-model.js';
import type { AnomalyModelSpec } from '../model/anomaly-model-spec.js';
import { anomalyTrainStep, createAnomalyOptimizer, type AnomalyTrainStepResult } from '../model/anomaly-train-step.js';
import { movingSquareTubes } from '../model/test-tubes.fixture.js';
import { AnomalyGradientWorkers } from './anomaly-gradient-workers.js';
import { anomalyShardedStep, stepParts } from './anomaly-sharded-step.js';

const spec: AnomalyModelSpec = { size: 16, channels: 3, width: 4, depth: 2, teacherDim: 4 };
let scratch = '';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-anomaly-shards-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function samplesOf(seed: number, tubes: number): TaskSamples {
  const source = movingSquareTubes(new Rng(seed), { tubes, frames: taskSourceFrames(), size: spec.size, channels: spec.channels });
  try {
    return buildTaskSamples(source, new Rng(seed + 1));
  } finally {
    source.dispose();
  }
}

function parts() {
  return { model: buildAnomalyModel(spec, { seed: 7 }), optimizer: createAnomalyOptimizer() };
}

/** All weights, or the trainable ones (batch norm's moving averages come from the parts this thread computes). */
function weightsOf(model: tf.LayersModel, which: 'all' | 'trainable'): Float32Array[] {
  return (which === 'all' ? model.weights : model.trainableWeights).map((w) => w.read().dataSync() as Float32Array);
}

function expectSameWeights(a: tf.LayersModel, b: tf.LayersModel, tolerance: number, which: 'all' | 'trainable'): void {
  const wa = weightsOf(a, which);
  const wb = weightsOf(b, which);
  let worst = 0;
  wa.forEach((values, i) => values.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (wb[i]?.[j] ?? NaN))))));
  expect(worst).toBeLessThan(tolerance);
}

function expectSameResult(a: AnomalyTrainStepResult, b: AnomalyTrainStepResult): void {
  for (const key of ['loss', 'middleFrameLoss', 'arrowLoss', 'irregularLoss', 'teacherLoss', 'arrowAccuracy', 'irregularAccuracy'] as const) {
    expect(Math.abs((a[key] ?? NaN) - (b[key] ?? NaN)), key).toBeLessThan(1e-4);
  }
}

describe('an anomaly step split across gradient threads', () => {
  it('gives every task an even part of its rows and the share that weights its mean', () => {
    const split = stepParts({ arrow: 5, irregularity: 5, middle: 4 }, 2);
    expect(split.map((p) => [p.arrow, p.middle])).toEqual([[[0, 3], [0, 2]], [[3, 2], [2, 2]]]);
    expect(split.map((p) => p.share)).toEqual([{ arrow: 0.6, irregularity: 0.6, middle: 0.5 }, { arrow: 0.4, irregularity: 0.4, middle: 0.5 }]);
  });

  it('is anomalyTrainStep exactly when it is not split', async () => {
    const samples = samplesOf(1, 6);
    const teacherTarget = tf.randomUniform<tf.Rank.R2>([6, 4], 0, 1, 'float32', 2);
    const split = parts();
    const whole = parts();
    try {
      const a = await anomalyShardedStep({ ...split, samples, teacherTarget, workers: null, shards: 1 });
      const b = await anomalyTrainStep({ ...whole, samples, teacherTarget });
      expect(a).toEqual(b);
      expectSameWeights(split.model, whole.model, 1e-7, 'all');
    } finally {
      disposeTaskSamples(samples);
      teacherTarget.dispose();
      split.model.dispose();
      whole.model.dispose();
      split.optimizer.dispose();
      whole.optimizer.dispose();
    }
  });

  it('updates the weights and reports the losses as the same parts computed one after another on this thread, to 1e-4', async () => {
    const before = tf.memory().numTensors;
    const parallel = parts();
    const reference = parts();
    const workers = await AnomalyGradientWorkers.start(1, { spec, backend: 'wasm' });
    try {
      for (let step = 0; step < 3; step++) {
        const samples = samplesOf(10 + step, 7);
        const teacherTarget = tf.randomUniform<tf.Rank.R2>([7, 4], 0, 1, 'float32', step);
        try {
          const a = await anomalyShardedStep({ ...parallel, samples, teacherTarget, workers, shards: 2 });
          const b = await anomalyShardedStep({ ...reference, samples, teacherTarget, workers: null, shards: 1, microBatches: 2 });
          expectSameResult(a, b);
          expect(a.teacherLoss).not.toBeNull();
          expect(a.arrowAccuracy).toBeGreaterThanOrEqual(0);
          expect(a.arrowAccuracy).toBeLessThanOrEqual(1 + 1e-6);
        } finally {
          disposeTaskSamples(samples);
          teacherTarget.dispose();
        }
      }
      expectSameWeights(parallel.model, reference.model, 1e-4, 'trainable');
    } finally {
      await workers.close();
      parallel.model.dispose();
      reference.model.dispose();
      parallel.optimizer.dispose();
      reference.optimizer.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails the step with the thread and the reason when a gradient thread dies', async () => {
    const file = path.join(scratch, 'crashing-anomaly-gradient-worker.mjs');
    fs.writeFileSync(
      file,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => { if (m.type === 'init') parentPort.postMessage({ type: 'ready' }); else process.exit(3); });`,
    );
    const p = parts();
    const samples = samplesOf(3, 4);
    const workers = await AnomalyGradientWorkers.start(1, { spec: { ...spec, teacherDim: 0 }, backend: 'wasm' }, file);
    try {
      await expect(anomalyShardedStep({ ...p, samples, workers, shards: 2 })).rejects.toThrow(/Training thread 2 of 2 exited unexpectedly \(exit code 3\)/);
    } finally {
      await workers.close();
      disposeTaskSamples(samples);
      p.model.dispose();
      p.optimizer.dispose();
    }
  });
});
