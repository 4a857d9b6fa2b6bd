/**
 * Whole optimisation steps on webgpu against the cpu backend: gradients, the SGD update with momentum and
 * weight decay, FlexMatch's threshold update from the weak probabilities (read back asynchronously) and the
 * EMA update, over a few steps from the same weights and clips.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onBothBackends, onWebGpuWithoutLeaks, relativeError } from '../../../../../tests/fixtures/webgpu.js';
import { trainSettingsSchema } from '../../../../shared/training.js';
import { buildModel } from '../models/build-model.js';
import { disposeOptimizer } from '../train/training-parts.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import { EmaWeights } from './ema-weights.js';
import { FlexMatchThresholds } from './flexmatch-thresholds.js';
import { formulaClips } from './formula-clips.fixture.js';
import { createOptimizer } from './optimizer.js';
import { trainStep } from './train-step.js';

const FRAMES = 4;
const SIZE = 16;
const STEPS = 3;
const settings = trainSettingsSchema.parse({ method: 'flexmatch', frames: FRAMES, size: SIZE, width: 4, depth: 2, dropout: 0, threshold: 0.4, learningRate: 0.05 });

interface Trained {
  weights: number[];
  ema: number[];
  thresholds: number[];
  losses: number[];
}

async function train(): Promise<Trained> {
  const model = buildModel(modelSpecFromSettings(settings, 3), { seed: 3 });
  const optimizer = createOptimizer(settings);
  const ema = new EmaWeights(model, settings.emaDecay);
  const flex = new FlexMatchThresholds(8, 3, settings.threshold, settings.flexWarmup);
  const losses: number[] = [];
  try {
    for (let step = 0; step < STEPS; step++) {
      const made = [formulaClips(3, step + 1, FRAMES, SIZE), tf.tensor1d([0, 1, 2], 'int32'), formulaClips(4, step + 11, FRAMES, SIZE), formulaClips(4, step + 21, FRAMES, SIZE)] as const;
      try {
        const [x, y, weak, strong] = made;
        const indices = [0, 1, 2, 3].map((i) => (i + 4 * step) % 8);
        const result = await trainStep({ model, optimizer, settings, labelled: { x, y }, unlabelledWeak: weak, unlabelledStrong: strong, indices, step, totalSteps: STEPS, thresholds: flex, ema });
        losses.push(result.loss, result.supervisedLoss, result.unsupervisedLoss, result.maskRate);
      } finally {
        tf.dispose([...made]);
      }
    }
    const weights: number[] = [];
    for (const w of model.weights) weights.push(...(await w.read().data()));
    const averaged: number[] = [];
    for (const t of ema.tensors()) averaged.push(...(await t.data()));
    return { weights, ema: averaged, thresholds: flex.classThresholds(), losses };
  } finally {
    ema.dispose();
    disposeOptimizer(optimizer);
    model.dispose();
  }
}

describe('training steps on webgpu', () => {
  onWebGpuWithoutLeaks();

  it('update the weights, the EMA and FlexMatch’s thresholds as the cpu backend does', async () => {
    const { webgpu, cpu } = await onBothBackends(train);
    expect(relativeError(webgpu.weights, cpu.weights)).toBeLessThan(1e-3);
    expect(relativeError(webgpu.ema, cpu.ema)).toBeLessThan(1e-3);
    expect(relativeError(webgpu.losses, cpu.losses)).toBeLessThan(1e-3);
    // Some clips were confident enough to count: the thresholds moved, and alike.
    expect(cpu.thresholds.some((t) => t > 0)).toBe(true);
    expect(webgpu.thresholds).toEqual(cpu.thresholds);
  });
});
