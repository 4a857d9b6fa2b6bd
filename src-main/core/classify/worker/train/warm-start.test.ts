import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTinyRunFixture, type TinyRunFixture } from '../../../../../tests/fixtures/tiny-training-run.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { loadModel } from '../../../engine/worker/model-io.js';
import { inProcessHost } from '../../../engine/job.js';
import { MODEL_DIR } from '../../../engine/model-files.js';
import type { PredictionRow, RunConfig, TrainMessage } from '../../jobs.js';
import { runTraining } from './run-training.js';

let fixture: TinyRunFixture;

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  fixture = await makeTinyRunFixture();
}, 120_000);
afterAll(() => fixture?.remove());

async function train(config: RunConfig): Promise<TrainMessage[]> {
  const messages: TrainMessage[] = [];
  await runTraining(config, inProcessHost((m) => messages.push(m)));
  const failed = messages.find((m) => m.type === 'error');
  if (failed) throw new Error(JSON.stringify(failed));
  return messages;
}

/** The trainable weights of a run's saved model, by name. */
async function savedWeights(config: RunConfig): Promise<Map<string, Float32Array>> {
  const model = await loadModel(path.join(config.runDir, MODEL_DIR));
  try {
    return new Map(model.trainableWeights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
  } finally {
    model.dispose();
  }
}

function largestDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let most = 0;
  for (const [name, values] of a) {
    const other = b.get(name);
    if (!other) throw new Error(`no weight ${name}`);
    values.forEach((v, i) => (most = Math.max(most, Math.abs(v - (other[i] ?? NaN)))));
  }
  return most;
}

it('a FixMatch round starts from the previous round\'s trained weights, and predicts each clip\'s penultimate features', async () => {
  const parent = fixture.config({ method: 'supervised', epochs: 2, learningRate: 0.1 });
  await train(parent);
  const before = tf.memory().numTensors;
  // A learning rate of almost nothing: what the round saves is where it started.
  const still = { method: 'fixmatch' as const, epochs: 1, learningRate: 1e-9 };
  const warm = fixture.config(still, { warmStartDir: path.join(parent.runDir, MODEL_DIR) });
  const messages = await train(warm);
  const cold = fixture.config(still);
  await train(cold);
  expect(tf.memory().numTensors).toBe(before);

  const parentWeights = await savedWeights(parent);
  expect(largestDifference(await savedWeights(warm), parentWeights)).toBeLessThan(1e-5);
  expect(largestDifference(await savedWeights(cold), parentWeights)).toBeGreaterThan(1e-2);

  // Width 4, one block: 4 features per clip, for every predicted clip.
  const rows: PredictionRow[] = messages.flatMap((m) => (m.type === 'predictions' ? m.rows : []));
  expect(rows).toHaveLength(fixture.clips.length);
  for (const row of rows) {
    expect(row.features).toHaveLength(4);
    expect(row.features?.every(Number.isFinite)).toBe(true);
  }
}, 180_000);

it('refuses weights that do not fit the run, saying which', async () => {
  const parent = fixture.config({ method: 'supervised', epochs: 1 });
  await train(parent);
  const wider = fixture.config({ method: 'supervised', epochs: 1, width: 8 }, { warmStartDir: path.join(parent.runDir, MODEL_DIR) });
  await expect(train(wider)).rejects.toThrow(/does not fit this run.*not \[/);
}, 120_000);
