import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTinyRunFixture, type TinyRunFixture } from '../../../../../tests/fixtures/tiny-training-run.js';
import { runTraining } from '../train/run-training.js';
import type { TrainMessage, PredictConfig, PredictionRow } from '../../jobs.js';
import { inProcessHost } from '../../../engine/job.js';
import { MODEL_DIR } from '../../../engine/model-files.js';
import { rowEntropy } from './batch-probabilities.js';
import { PREDICTION_CHUNK } from './predict-clips.js';
import { runPrediction } from './run-prediction.js';

let fixture: TinyRunFixture;
beforeAll(async () => {
  fixture = await makeTinyRunFixture();
});
afterAll(() => fixture?.remove());

const rowsOf = (messages: TrainMessage[]): PredictionRow[] => messages.flatMap((m) => (m.type === 'predictions' ? m.rows : []));

it('a saved model predicts the same probabilities as the run did, with MC-dropout statistics', async () => {
  const config = fixture.config({ method: 'supervised', epochs: 1, mcPasses: 4, dropout: 0.5 });
  const trained: TrainMessage[] = [];
  await runTraining(config, inProcessHost((m) => trained.push(m)));

  const predictConfig: PredictConfig = {
    runId: config.runId,
    modelDir: path.join(config.runDir, MODEL_DIR),
    spec: { frames: 4, size: 16, fps: null },
    clips: fixture.clips,
    mcPasses: 4,
    seed: 3,
    clipCacheDir: config.clipCacheDir,
    tools: config.tools,
    backend: 'wasm',
  };
  const before = tf.memory().numTensors;
  const predicted: TrainMessage[] = [];
  await runPrediction(predictConfig, inProcessHost((m) => predicted.push(m)));
  expect(tf.memory().numTensors).toBe(before);
  expect(predicted.at(-1)).toEqual({ type: 'done', epochs: 0, final: null });
  expect(predicted.filter((m) => m.type === 'predictions').every((m) => m.type === 'predictions' && m.rows.length <= PREDICTION_CHUNK)).toBe(true);

  const expected = new Map(rowsOf(trained).map((r) => [r.clipId, r]));
  const rows = rowsOf(predicted);
  expect(rows).toHaveLength(fixture.clips.length);
  let spread = 0;
  let information = 0;
  for (const row of rows) {
    // BALD: H(mean) − mean H(pass) lies in [0, log C].
    expect(row.mutualInfo).toBeGreaterThanOrEqual(0);
    expect(row.mutualInfo).toBeLessThanOrEqual(Math.log(2) + 1e-6);
    information += row.mutualInfo ?? 0;
    const probs = expected.get(row.clipId)?.probs ?? [];
    row.probs.forEach((p, c) => expect(p).toBeCloseTo(probs[c] ?? NaN, 5));
    expect(row.mcMean.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (const s of row.mcStd) expect(s).toBeGreaterThanOrEqual(0);
    spread += row.mcStd.reduce((a, b) => a + b, 0);
  }
  // Dropout 0.5 over 4 passes: the passes differ, so some clip has a non-zero spread.
  expect(spread).toBeGreaterThan(0);
  expect(information).toBeGreaterThan(0);
});

it('row entropy is −Σ p log p per row, 0 for a certain row', () => {
  const before = tf.memory().numTensors;
  const p = tf.tensor2d([
    [0.5, 0.5],
    [1, 0],
    [0.9, 0.1],
  ]);
  const h = rowEntropy(p);
  const values = Array.from(h.dataSync());
  tf.dispose([p, h]);
  expect(values[0]).toBeCloseTo(Math.log(2), 5);
  expect(values[1]).toBeCloseTo(0, 5);
  expect(values[2]).toBeCloseTo(-(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1)), 5);
  expect(tf.memory().numTensors).toBe(before);
});

it('a model that takes other clips than the spec asks for is refused with both sizes', async () => {
  const config = fixture.config({ method: 'supervised', epochs: 1, mcPasses: 0 }, { predict: [] });
  await runTraining(config, inProcessHost(() => undefined));
  const wrong: PredictConfig = {
    runId: 1,
    modelDir: path.join(config.runDir, MODEL_DIR),
    spec: { frames: 8, size: 16, fps: null },
    clips: fixture.clips,
    mcPasses: 0,
    seed: 0,
    clipCacheDir: config.clipCacheDir,
    tools: config.tools,
    backend: 'wasm',
  };
  await expect(runPrediction(wrong, inProcessHost(() => undefined))).rejects.toThrow('takes 4×16×16 clips, not 8×16×16');
});
