import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { Rng } from '../../../engine/random.js';
import { buildModel, inputShapeOf } from './build-model.js';
import { setMcDropout } from '../../../engine/worker/layers/mc-dropout.js';
import { loadModel, saveModel } from '../../../engine/worker/model-io.js';
import type { ModelSpec } from './model-spec.js';

const tiny: ModelSpec = { architecture: 'r2plus1d', classes: 3, frames: 4, size: 16, width: 4, depth: 2, dropout: 0.5 };
const dirs: string[] = [];

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function clips(n: number, spec: ModelSpec): tf.Tensor5D {
  return tf.randomUniform<tf.Rank.R5>([n, spec.frames, spec.size, spec.size, 3], 0, 1, 'float32', 7);
}

describe('buildModel', () => {
  it('builds both architectures with logits [N, C] and leaks nothing when predicting', () => {
    for (const architecture of ['r2plus1d', 'frame2d'] as const) {
      const spec = { ...tiny, architecture };
      const model = buildModel(spec, { seed: 1 });
      expect(inputShapeOf(model)).toEqual({ frames: 4, size: 16, classes: 3 });
      const x = clips(2, spec);
      const before = tf.memory().numTensors;
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, 3]);
      y.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      model.dispose();
    }
  });

  it('has the documented size at the defaults (width 16, depth 3, 8×64×64, 10 classes)', () => {
    const model = buildModel({ architecture: 'r2plus1d', classes: 10, frames: 8, size: 64, width: 16, depth: 3, dropout: 0.3 });
    expect(model.countParams()).toBe(41146);
    const trainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
    expect(trainable).toBe(40698);
    model.dispose();
  });

  it('gives the same initial weights for the same seed', () => {
    const a = buildModel(tiny, { seed: 3 });
    const b = buildModel(tiny, { seed: 3 });
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wa).toEqual(wb);
    a.dispose();
    b.dispose();
  });

  it('rejects a spec it cannot build with a specific message', () => {
    expect(() => buildModel({ ...tiny, classes: 1 })).toThrow(/classes must be an integer ≥ 2/);
    expect(() => buildModel({ ...tiny, dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
  });
});

describe('MC-dropout', () => {
  it('samples a new mask per pass when on, and is deterministic when off', () => {
    const model = buildModel(tiny, { seed: 2 });
    const x = clips(3, tiny);
    const pass = () => tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
    const plainA = pass();
    const plainB = pass();
    expect(plainA).toEqual(plainB);
    setMcDropout(model, true, new Rng(5));
    const mcA = pass();
    const mcB = pass();
    expect(mcA).not.toEqual(mcB);
    expect(mcA).not.toEqual(plainA);
    setMcDropout(model, false);
    expect(pass()).toEqual(plainA);
    x.dispose();
    model.dispose();
  });
});

describe('saveModel / loadModel', () => {
  it('round-trips to identical predictions, saving batch norm as the standard layer', async () => {
    for (const architecture of ['r2plus1d', 'frame2d'] as const) {
      const spec = { ...tiny, architecture };
      const model = buildModel(spec, { seed: 4 });
      // Move the batch-norm statistics away from their initial values so the round trip checks them.
      const x = clips(2, spec);
      tf.tidy(() => model.apply(x, { training: true }) as tf.Tensor);
      const dir = mkdtempSync(path.join(tmpdir(), 'vssl-model-'));
      dirs.push(dir);
      await saveModel(model, dir);
      const json = readFileSync(path.join(dir, 'model.json'), 'utf8');
      expect(json).toContain('"BatchNormalization"');
      expect(json).not.toContain('VsslFastBatchNorm');
      const loaded = await loadModel(dir);
      const expected = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
      const actual = tf.tidy(() => Array.from((loaded.predict(x) as tf.Tensor).dataSync()));
      expect(actual).toEqual(expected);
      x.dispose();
      model.dispose();
      loaded.dispose();
    }
  });

  it('says which file is missing or broken', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vssl-model-'));
    dirs.push(dir);
    await expect(loadModel(dir)).rejects.toThrow(/no model at .*model\.json/);
    const model = buildModel(tiny, { seed: 1 });
    await saveModel(model, dir);
    model.dispose();
    const weights = path.join(dir, 'weights.bin');
    const bytes = readFileSync(weights);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(weights, bytes.subarray(0, 100));
    await expect(loadModel(dir)).rejects.toThrow(/weights are truncated/);
  });
});
