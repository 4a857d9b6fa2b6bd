import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { buildModel } from '../models/build-model.js';
import type { ModelSpec } from '../models/model-spec.js';
import { restorePretrained, savePretrained } from './pretrained-weights.js';

const spec: ModelSpec = { architecture: 'r2plus1d', classes: 3, frames: 4, size: 16, width: 4, depth: 2, dropout: 0.5, heads: { teacher: 0, projection: 8 } };
const runDir = mkdtempSync(path.join(tmpdir(), 'vssl-pretrained-'));

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

describe('pretrained weights', () => {
  it('gives a UPS round, built afresh with other weights, exactly the weights pretraining ended with', async () => {
    const pretrained = buildModel(spec, { seed: 1 });
    const round = buildModel(spec, { seed: 2 });
    try {
      await savePretrained(pretrained, runDir);
      expect(weightsOf(round)).not.toEqual(weightsOf(pretrained));
      const before = tf.memory().numTensors;
      await restorePretrained(round, runDir);
      expect(tf.memory().numTensors).toBe(before);
      expect(weightsOf(round)).toEqual(weightsOf(pretrained));
    } finally {
      pretrained.dispose();
      round.dispose();
    }
  });

  it('fails, changing nothing, when the run has no pretrained weights', async () => {
    const round = buildModel(spec, { seed: 2 });
    const emptyRun = mkdtempSync(path.join(tmpdir(), 'vssl-no-pretrained-'));
    try {
      const weights = weightsOf(round);
      await expect(restorePretrained(round, emptyRun)).rejects.toThrow(/model\.json|no such file|ENOENT/i);
      expect(weightsOf(round)).toEqual(weights);
    } finally {
      round.dispose();
      rmSync(emptyRun, { recursive: true, force: true });
    }
  });
});
