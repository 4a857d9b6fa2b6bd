import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { buildModel } from '../../../classify/worker/models/build-model.js';
import { saveModel } from '../../../engine/worker/model-io.js';
import { Rng } from '../../../engine/random.js';
import { encode, runHead } from './anomaly-forward.js';
import { anomalySpecOf, buildAnomalyModel } from './anomaly-model.js';
import { loadAnomalyModel, saveAnomalyModel } from './anomaly-model-io.js';
import { ANOMALY_MODEL_DEFAULTS, type AnomalyModelSpec } from './anomaly-model-spec.js';
import { regionScores } from './anomaly-region-scores.js';
import { movingSquareTubes } from './test-tubes.fixture.js';

const tiny: AnomalyModelSpec = { size: 16, channels: 3, width: 4, depth: 2, teacherDim: 0 };
const dirs: string[] = [];

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  expect(tf.getBackend()).toBe('wasm');
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function frames(n: number, spec: AnomalyModelSpec): tf.Tensor5D {
  return tf.randomUniform<tf.Rank.R5>([n, 6, spec.size, spec.size, spec.channels], 0, 1, 'float32', 11);
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vssl-anomaly-model-'));
  dirs.push(dir);
  return dir;
}

describe('buildAnomalyModel', () => {
  it('gives arrow and irregularity logits, a middle frame in 0..1 and, with a teacher size, a teacher vector', () => {
    for (const teacherDim of [0, 5]) {
      const model = buildAnomalyModel({ ...tiny, teacherDim }, { seed: 1 });
      const x = frames(3, tiny);
      const before = tf.memory().numTensors;
      const outputs = model.predict(x) as tf.Tensor[];
      expect(outputs.map((o) => o.shape)).toEqual([[3, 2], [3, 2], [3, 16, 16, 3], ...(teacherDim > 0 ? [[3, 5]] : [])]);
      const middle = outputs[2]!.dataSync();
      expect(Math.min(...middle)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...middle)).toBeLessThanOrEqual(1);
      tf.dispose(outputs);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      model.dispose();
    }
  });

  it('builds at the defaults (64×64 RGB) with a decoder back to 64×64', () => {
    const model = buildAnomalyModel(ANOMALY_MODEL_DEFAULTS, { seed: 1 });
    expect(model.outputs.map((o) => o.shape)).toEqual([[null, 2], [null, 2], [null, 64, 64, 3]]);
    expect(model.inputs[0]?.shape).toEqual([null, 6, 64, 64, 3]);
    expect(anomalySpecOf(model)).toEqual(ANOMALY_MODEL_DEFAULTS);
    model.dispose();
  });

  it('gives the same initial weights for the same seed', () => {
    const a = buildAnomalyModel(tiny, { seed: 3 });
    const b = buildAnomalyModel(tiny, { seed: 3 });
    expect(a.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(b.getWeights().map((w) => Array.from(w.dataSync())));
    a.dispose();
    b.dispose();
  });

  it('rejects a spec it cannot build with a specific message', () => {
    expect(() => buildAnomalyModel({ ...tiny, size: 20, depth: 3 })).toThrow(/size 20 must be a multiple of 2\^depth = 8/);
    expect(() => buildAnomalyModel({ ...tiny, teacherDim: -1 })).toThrow(/teacherDim must be an integer ≥ 0/);
    expect(() => buildAnomalyModel({ ...tiny, width: 0 })).toThrow(/width must be an integer ≥ 1/);
  });
});

describe('anomalySpecOf', () => {
  it('reads the spec back from the layers, teacher size included', () => {
    const spec = { size: 32, channels: 1, width: 3, depth: 3, teacherDim: 7 };
    const model = buildAnomalyModel(spec, { seed: 1 });
    expect(anomalySpecOf(model)).toEqual(spec);
    model.dispose();
  });

  it('says a classifier is not an anomaly model', () => {
    const classifier = buildModel({ architecture: 'r2plus1d', classes: 2, frames: 6, size: 16, width: 4, depth: 2, dropout: 0 }, { seed: 1 });
    expect(() => anomalySpecOf(classifier)).toThrow(/is not an anomaly model: its outputs are logits/);
    classifier.dispose();
  });
});

describe('per-head forward', () => {
  it('running the encoder then one head gives exactly what the whole model predicts', () => {
    const model = buildAnomalyModel({ ...tiny, teacherDim: 4 }, { seed: 2 });
    const x = frames(2, tiny);
    // Move the batch statistics off their initial values so inference-mode batch norm is really checked.
    tf.tidy(() => {
      model.apply(x, { training: true });
    });
    const before = tf.memory().numTensors;
    const whole = tf.tidy(() => (model.predict(x) as tf.Tensor[]).map((o) => Array.from(o.dataSync())));
    const parts = tf.tidy(() => {
      const code = encode(model, x, false);
      return (['arrow', 'irregular', 'middle', 'teacher'] as const).map((head) => Array.from(runHead(model, head, code, false).dataSync()));
    });
    expect(parts).toEqual(whole);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});

describe('saveAnomalyModel / loadAnomalyModel', () => {
  it('round-trips to the same spec and the same region scores', async () => {
    const spec = { ...tiny, channels: 1, teacherDim: 3 };
    const model = buildAnomalyModel(spec, { seed: 4 });
    const tubes = movingSquareTubes(new Rng(2), { tubes: 5, frames: 7, size: 16, channels: 1 });
    const teacher = tf.randomUniform<tf.Rank.R2>([5, 3], 0, 1, 'float32', 3);
    const input = tf.slice(tubes, [0, 0, 0, 0, 0], [-1, 6, -1, -1, -1]);
    tf.tidy(() => {
      model.apply(input, { training: true });
    });
    const dir = tempDir();
    await saveAnomalyModel(model, dir);
    expect(readFileSync(path.join(dir, 'model.json'), 'utf8')).not.toContain('VsslFastBatchNorm');
    const loaded = await loadAnomalyModel(dir);
    expect(loaded.spec).toEqual(spec);
    const expected = await regionScores(model, tubes, { teacherFeatures: teacher });
    const actual = await regionScores(loaded.model, tubes, { teacherFeatures: teacher });
    expect(actual).toEqual(expected);
    expect(actual.teacherGap).not.toBeNull();
    tf.dispose([tubes, teacher, input]);
    model.dispose();
    loaded.model.dispose();
  });

  it('refuses to load a model that is not an anomaly model, naming the folder', async () => {
    const classifier = buildModel({ architecture: 'frame2d', classes: 2, frames: 6, size: 16, width: 4, depth: 2, dropout: 0 }, { seed: 1 });
    const dir = tempDir();
    await saveModel(classifier, dir);
    classifier.dispose();
    await expect(loadAnomalyModel(dir)).rejects.toThrow(new RegExp(`${dir}: model .* is not an anomaly model`));
  });
});
