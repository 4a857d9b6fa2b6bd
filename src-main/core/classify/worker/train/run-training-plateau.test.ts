import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTinyRunFixture, type TinyRunFixture } from '../../../../../tests/fixtures/tiny-training-run.js';
import type { EpochMetrics, RunConfig, TrainMessage } from '../../jobs.js';
import { inProcessHost } from '../../../engine/job.js';
import { MODEL_DIR } from '../../../engine/model-files.js';
import { plateauOf } from '../../../../shared/training-budget.js';
import { BEST_MODEL_DIR } from './best-weights.js';
import { runTraining } from './run-training.js';

let fixture: TinyRunFixture;
beforeAll(async () => {
  fixture = await makeTinyRunFixture();
});
afterAll(() => fixture?.remove());

async function train(config: RunConfig, cancelAfterEpoch?: number): Promise<TrainMessage[]> {
  const controller = new AbortController();
  const messages: TrainMessage[] = [];
  await runTraining(
    config,
    inProcessHost((message) => {
      messages.push(message);
      if (message.type === 'epoch' && message.metrics.epoch === cancelAfterEpoch) controller.abort();
    }, controller.signal),
  );
  return messages;
}

const epochsOf = (messages: TrainMessage[]): EpochMetrics[] => messages.flatMap((m) => (m.type === 'epoch' ? [m.metrics] : []));
const stopOf = (messages: TrainMessage[]) => messages.flatMap((m) => (m.type === 'stop' ? [m.stop] : []));

// Two validation clips: accuracy is 0, 0.5 or 1, so it can rise at most twice and, with a patience of 2,
// the rule fires by epoch 7 at the latest, well before the ceiling.
const PLATEAU = { method: 'supervised', budget: 'until-plateau', patience: 2, minEpochs: 1, maxEpochs: 12, mcPasses: 0 } as const;

it('a run until it stops improving stops on a plateau before its ceiling, says why, and saves its best epoch’s weights', async () => {
  const config = fixture.config(PLATEAU);
  const before = tf.memory().numTensors;
  const messages = await train(config);
  const epochs = epochsOf(messages);
  const [stop] = stopOf(messages);
  expect(messages.at(-1)).toMatchObject({ type: 'done', epochs: epochs.length });
  expect(epochs.length).toBeLessThan(12);
  const accuracies = epochs.map((e) => e.validationAccuracy ?? 0);
  const rule = plateauOf(accuracies, config.settings);
  expect(rule?.stop).toBe(true);
  // It stopped the first epoch the rule fired, not later.
  expect(plateauOf(accuracies.slice(0, -1), config.settings)?.stop).toBe(false);
  expect(stop).toEqual({
    reason: 'plateau',
    epoch: epochs.length,
    metric: 'ema-validation-accuracy',
    bestEpoch: rule?.bestEpoch,
    best: rule?.best,
    patience: 2,
    weights: 'best',
  });
  expect(epochs.length - (stop?.bestEpoch ?? 0)).toBe(2);
  // The saved model holds the best epoch's EMA weights, not the last epoch's.
  const weights = (dir: string) => fs.readFileSync(path.join(config.runDir, dir, 'weights.bin'));
  expect(weights(MODEL_DIR).equals(weights(BEST_MODEL_DIR))).toBe(true);
  expect(tf.memory().numTensors).toBe(before);
});

it('a run cancelled before its plateau and resumed keeps counting the epochs since its best from before the cancel', async () => {
  const config = fixture.config(PLATEAU);
  const first = await train(config, 2);
  expect(first.at(-1)).toEqual({ type: 'cancelled', epochs: 2 });
  expect(stopOf(first)).toEqual([]);

  const resumed = await train({ ...config, resume: true });
  const epochs = [...epochsOf(first), ...epochsOf(resumed)];
  expect(epochsOf(resumed)[0]?.epoch).toBe(3);
  const accuracies = epochs.map((e) => e.validationAccuracy ?? 0);
  // The first epoch at which the rule fires over the whole run, the epochs before the cancel included.
  const firing = accuracies.findIndex((_, i) => plateauOf(accuracies.slice(0, i + 1), config.settings)?.stop) + 1;
  expect(firing).toBeGreaterThan(0);
  expect(epochs.length).toBe(firing);
  const best = plateauOf(accuracies, config.settings);
  expect(stopOf(resumed)).toEqual([expect.objectContaining({ reason: 'plateau', epoch: firing, bestEpoch: best?.bestEpoch })]);
});

it('a fixed budget trains every epoch and says so', async () => {
  const config = fixture.config({ method: 'supervised', epochs: 2, mcPasses: 0 });
  expect(config.settings.budget).toBe('epochs');
  const messages = await train(config);
  expect(epochsOf(messages)).toHaveLength(2);
  expect(stopOf(messages)).toEqual([{ reason: 'epochs', epoch: 2, metric: null, bestEpoch: null, best: null, patience: null, weights: 'last' }]);
  expect(fs.existsSync(path.join(config.runDir, BEST_MODEL_DIR))).toBe(false);
});
