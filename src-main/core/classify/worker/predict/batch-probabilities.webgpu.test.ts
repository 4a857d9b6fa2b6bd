/**
 * Prediction on webgpu against the cpu backend: MC-dropout passes with the same dropout seeds, and a model
 * exported (saveModel), loaded back (loadModel) and predicted with, as prediction jobs and the standalone
 * predict path's worker do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onBothBackends, onWebGpuWithoutLeaks, relativeError } from '../../../../../tests/fixtures/webgpu.js';
import { trainSettingsSchema } from '../../../../shared/training.js';
import { Rng } from '../../../engine/random.js';
import { loadModel, saveModel } from '../../../engine/worker/model-io.js';
import { buildModel } from '../models/build-model.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import { batchProbabilities, type BatchProbabilities } from './batch-probabilities.js';

const FRAMES = 4;
const SIZE = 16;
const settings = trainSettingsSchema.parse({ method: 'supervised', frames: FRAMES, size: SIZE, width: 4, depth: 2, dropout: 0.5 });

function clips(n: number): tf.Tensor5D {
  const perClip = FRAMES * SIZE * SIZE * 3;
  const values = Float32Array.from({ length: n * perClip }, (_, i) => 0.5 + 0.4 * Math.sin(Math.floor(i / perClip) * 1.9 + (i % 3) * 2.1) + 0.1 * Math.sin(i * 0.13));
  return tf.tensor5d(values, [n, FRAMES, SIZE, SIZE, 3]);
}

function numbersOf(result: BatchProbabilities): number[][] {
  return [result.probs, result.mcMean, result.mcStd, result.mutualInfo].map((values) => Array.from(values ?? []));
}

let scratch = '';
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-webgpu-predict-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('prediction on webgpu', () => {
  onWebGpuWithoutLeaks();

  it('gives the cpu backend’s probabilities and MC-dropout statistics with the same dropout seeds', async () => {
    const { webgpu, cpu } = await onBothBackends(async () => {
      const model = buildModel(modelSpecFromSettings(settings, 3), { seed: 5 });
      const x = clips(5);
      try {
        return numbersOf(await batchProbabilities(model, x, 6, new Rng(9)));
      } finally {
        x.dispose();
        model.dispose();
      }
    });
    const [probs, mean, std, information] = [0, 1, 2, 3].map((i) => ({ webgpu: webgpu[i] ?? [], cpu: cpu[i] ?? [] }));
    // The passes differ (dropout 0.5), so the statistics are not trivially 0.
    expect(std?.cpu.some((s) => s > 1e-3)).toBe(true);
    expect(relativeError(probs?.webgpu ?? [], probs?.cpu ?? [])).toBeLessThan(1e-3);
    expect(relativeError(mean?.webgpu ?? [], mean?.cpu ?? [])).toBeLessThan(1e-3);
    expect(relativeError(std?.webgpu ?? [], std?.cpu ?? [])).toBeLessThan(1e-3);
    expect(relativeError(information?.webgpu ?? [], information?.cpu ?? [])).toBeLessThan(1e-3);
  });

  it('exports, loads and predicts with a saved model as the cpu backend does', async () => {
    const { webgpu, cpu } = await onBothBackends(async (backend) => {
      const dir = path.join(scratch, backend);
      const built = buildModel(modelSpecFromSettings(settings, 3), { seed: 6 });
      try {
        await saveModel(built, dir);
      } finally {
        built.dispose();
      }
      const model = await loadModel(dir);
      const x = clips(4);
      try {
        return { saved: Array.from(fs.readFileSync(path.join(dir, 'weights.bin'))), predicted: numbersOf(await batchProbabilities(model, x, 3, new Rng(2))) };
      } finally {
        x.dispose();
        model.dispose();
      }
    });
    // Seeded initialisers: the same weights whichever backend built and saved them.
    expect(webgpu.saved).toEqual(cpu.saved);
    webgpu.predicted.forEach((values, i) => expect(relativeError(values, cpu.predicted[i] ?? [])).toBeLessThan(1e-3));
  });
});
