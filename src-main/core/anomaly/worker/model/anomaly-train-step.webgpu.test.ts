import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gpuMemory, onBothBackends, onWebGpuWithoutLeaks, relativeError } from '../../../../../tests/fixtures/webgpu.js';
import { Rng } from '../../../engine/random.js';
import { buildTaskSamples, disposeTaskSamples, taskSourceFrames, type TaskSamples } from '../tasks/task-samples.js';
import type { AnomalyModelSpec } from './anomaly-model-spec.js';
import { regionScores } from './anomaly-region-scores.js';
import { anomalyStepGradients, anomalyTrainStep, createAnomalyOptimizer, type AnomalyTrainStepResult } from './anomaly-train-step.js';
import { initialWeights, modelWithWeights } from './fixed-weights.fixture.js';
import { movingSquareTubes } from './test-tubes.fixture.js';

const spec: AnomalyModelSpec = { size: 16, channels: 1, width: 4, depth: 2, teacherDim: 4 };
const TUBES = 6;

/** The same task samples and teacher target on whichever backend is active (built from seeded plain arrays). */
function batch(seed: number): { samples: TaskSamples; teacherTarget: tf.Tensor2D } {
  const source = movingSquareTubes(new Rng(seed), { tubes: TUBES, frames: taskSourceFrames(), size: spec.size, channels: spec.channels });
  try {
    const samples = buildTaskSamples(source, new Rng(seed + 1));
    const rows = samples.middle.input.shape[0];
    const teacherTarget = tf.tensor2d(Float32Array.from({ length: rows * spec.teacherDim }, (_, i) => Math.sin(i + seed) / 2 + 0.5), [rows, spec.teacherDim]);
    return { samples, teacherTarget };
  } finally {
    source.dispose();
  }
}

function lossesOf(r: AnomalyTrainStepResult): number[] {
  return [r.loss, r.middleFrameLoss, r.arrowLoss, r.irregularLoss, r.teacherLoss ?? NaN];
}

describe('the anomaly training step on webgpu', () => {
  onWebGpuWithoutLeaks();

  it('gives the cpu backend’s losses and gradients (arrow of time, irregularity, middle frame, distillation)', async () => {
    const weights = await initialWeights(spec, 3);
    const { webgpu, cpu } = await onBothBackends(async () => {
      const model = modelWithWeights(spec, weights);
      const { samples, teacherTarget } = batch(5);
      try {
        const step = await anomalyStepGradients({ model, samples, teacherTarget });
        try {
          const grads = await Promise.all(step.grads.map(async (g) => Array.from(await g.tensor.data())));
          return { losses: lossesOf(step.result), accuracies: [step.result.arrowAccuracy, step.result.irregularAccuracy], grads: grads.flat() };
        } finally {
          tf.dispose(step.grads.map((g) => g.tensor));
        }
      } finally {
        disposeTaskSamples(samples);
        teacherTarget.dispose();
        model.dispose();
      }
    });
    expect(webgpu.grads.length).toBe(cpu.grads.length);
    expect(relativeError(webgpu.losses, cpu.losses)).toBeLessThan(1e-3);
    expect(relativeError(webgpu.grads, cpu.grads)).toBeLessThan(1e-3);
    expect(webgpu.accuracies).toEqual(cpu.accuracies);
  });

  it('follows the cpu backend over several Adam steps, with and without a teacher target', async () => {
    const weights = await initialWeights(spec, 4);
    const { webgpu, cpu } = await onBothBackends(async () => {
      const model = modelWithWeights(spec, weights);
      const optimizer = createAnomalyOptimizer();
      const { samples, teacherTarget } = batch(7);
      try {
        const losses: number[] = [];
        for (let step = 0; step < 3; step++) losses.push(...lossesOf(await anomalyTrainStep({ model, optimizer, samples, teacherTarget })));
        const plain = await anomalyTrainStep({ model, optimizer, samples });
        losses.push(plain.loss, plain.middleFrameLoss, plain.arrowLoss, plain.irregularLoss);
        return losses;
      } finally {
        disposeTaskSamples(samples);
        teacherTarget.dispose();
        optimizer.dispose();
        model.dispose();
      }
    });
    expect(relativeError(webgpu, cpu)).toBeLessThan(1e-3);
  });

  it('holds no more tensors nor GPU bytes after more steps and scoring', async () => {
    const model = modelWithWeights(spec, await initialWeights(spec, 5));
    const optimizer = createAnomalyOptimizer();
    const { samples, teacherTarget } = batch(9);
    try {
      await anomalyTrainStep({ model, optimizer, samples, teacherTarget }); // creates Adam's moments
      const before = gpuMemory();
      for (let step = 0; step < 3; step++) await anomalyTrainStep({ model, optimizer, samples, teacherTarget });
      await anomalyTrainStep({ model, optimizer, samples });
      expect(gpuMemory()).toEqual(before);
      // Made here: a tensor's bytes count on the GPU only once an op has uploaded it.
      const tubes = movingSquareTubes(new Rng(10), { tubes: 3, frames: 7, size: spec.size, channels: spec.channels });
      try {
        await regionScores(model, tubes);
      } finally {
        tubes.dispose();
      }
      expect(gpuMemory()).toEqual(before);
    } finally {
      disposeTaskSamples(samples);
      teacherTarget.dispose();
      optimizer.dispose();
      model.dispose();
    }
  });
});
