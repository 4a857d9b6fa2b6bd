import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTinyRunFixture, type TinyRunFixture } from '../../../../../tests/fixtures/tiny-training-run.js';
import { ClipCache } from '../../clips/clip-cache.js';
import { cosineLearningRate } from '../methods/learning-rate.js';
import type { TrainMessage, PredictionRow, RunConfig } from '../../jobs.js';
import { inProcessHost } from '../../../engine/job.js';
import { MODEL_DIR } from '../../../engine/model-files.js';
import { classifierCheckpoint } from './checkpoint-file.js';
import { runTraining } from './run-training.js';

let fixture: TinyRunFixture;
beforeAll(async () => {
  fixture = await makeTinyRunFixture();
});
afterAll(() => fixture?.remove());

interface Recorded {
  messages: TrainMessage[];
  /** tf.memory().numTensors when each 'epoch' message arrived. */
  tensorsAtEpoch: number[];
}

async function train(config: RunConfig, cancelAfterEpoch?: number): Promise<Recorded> {
  const controller = new AbortController();
  const recorded: Recorded = { messages: [], tensorsAtEpoch: [] };
  await runTraining(
    config,
    inProcessHost((message) => {
      recorded.messages.push(message);
      if (message.type === 'epoch') {
        recorded.tensorsAtEpoch.push(tf.memory().numTensors);
        if (message.metrics.epoch === cancelAfterEpoch) controller.abort();
      }
    }, controller.signal),
  );
  return recorded;
}

const ofType = <T extends TrainMessage['type']>(messages: TrainMessage[], type: T) =>
  messages.filter((m): m is Extract<TrainMessage, { type: T }> => m.type === type);

function expectValidPredictions(rows: PredictionRow[], clipIds: number[], mcPasses: number): void {
  expect(rows.map((r) => r.clipId).sort((a, b) => a - b)).toEqual([...clipIds].sort((a, b) => a - b));
  for (const row of rows) {
    expect(row.probs).toHaveLength(2);
    expect(row.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(row.mcMean).toHaveLength(mcPasses > 0 ? 2 : 0);
    expect(row.mcStd).toHaveLength(mcPasses > 0 ? 2 : 0);
    if (mcPasses > 0) expect(row.mcMean.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (const s of row.mcStd) expect(s).toBeGreaterThanOrEqual(0);
  }
}

it('FixMatch: three epochs with stable tensor counts, a saved model and predictions for every clip', async () => {
  const config = fixture.config({ method: 'fixmatch' });
  const before = tf.memory().numTensors;
  const { messages, tensorsAtEpoch } = await train(config);

  expect(messages[0]?.type).toBe('started');
  const epochs = ofType(messages, 'epoch');
  expect(epochs.map((m) => m.metrics.epoch)).toEqual([1, 2, 3]);
  // 9 unlabelled / (μB = 4) → 3 steps per epoch.
  expect(epochs.map((m) => m.metrics.step)).toEqual([3, 6, 9]);
  // The learning rate after the last step is the cosine schedule's end, not its start.
  expect(epochs.at(-1)?.metrics.lr).toBeCloseTo(cosineLearningRate(config.settings.learningRate, 9, 9), 8);
  expect(epochs.at(-1)?.metrics.lr).toBeLessThan(config.settings.learningRate / 2);
  for (const { metrics } of epochs) {
    expect(Number.isFinite(metrics.loss)).toBe(true);
    expect(metrics.validationAccuracy).toBeGreaterThanOrEqual(0);
    expect(metrics.maskRate).toBeGreaterThanOrEqual(0);
    expect(metrics.clipsPerSecond).toBeGreaterThan(0);
  }
  expect(new Set(tensorsAtEpoch).size).toBe(1);
  expect(tf.memory().numTensors).toBe(before);

  const done = messages.at(-1);
  expect(done).toMatchObject({ type: 'done', epochs: 3, final: { epoch: 3 } });
  expect(fs.existsSync(path.join(config.runDir, MODEL_DIR, 'model.json'))).toBe(true);
  const chunks = ofType(messages, 'predictions');
  expectValidPredictions(chunks.flatMap((c) => c.rows), fixture.clips.map((c) => c.clipId), 3);
});

it('a cancelled FlexMatch run keeps its checkpoint, and resuming continues at the next epoch', async () => {
  const config = fixture.config({ method: 'flexmatch' });
  const first = await train(config, 1);
  expect(ofType(first.messages, 'epoch').map((m) => m.metrics.epoch)).toEqual([1]);
  expect(first.messages.at(-1)).toEqual({ type: 'cancelled', epochs: 1 });
  expect(ofType(first.messages, 'predictions')).toHaveLength(0);
  const saved = await classifierCheckpoint.readState(config.runDir);
  expect(saved).toMatchObject({ epoch: 1, step: 3 });

  const resumed = await train({ ...config, resume: true });
  const epochs = ofType(resumed.messages, 'epoch');
  expect(epochs.map((m) => m.metrics.epoch)).toEqual([2, 3]);
  expect(epochs.map((m) => m.metrics.step)).toEqual([6, 9]);
  expect(epochs[0]?.metrics.classThresholds).toHaveLength(2);
  expect(resumed.messages.at(-1)).toMatchObject({ type: 'done', epochs: 3, final: { epoch: 3 } });
  expect(await classifierCheckpoint.readState(config.runDir)).toMatchObject({ epoch: 3, step: 9 });
});

it('FreeMatch with distribution alignment: its thresholds and alignment survive a cancel and resume exactly, tensors freed', async () => {
  const settings = { method: 'freematch', distributionAlignment: true, threads: 1 } as const;
  const before = tf.memory().numTensors;
  const straight = fixture.config(settings);
  const uninterrupted = await train(straight);
  expect(new Set(uninterrupted.tensorsAtEpoch).size).toBe(1);
  const thresholdsAt = ofType(uninterrupted.messages, 'epoch').map((m) => m.metrics.classThresholds);
  // Every threshold starts at 1/C = 0.5 and follows the model's confidence from there.
  for (const thresholds of thresholdsAt) {
    expect(thresholds).toHaveLength(2);
    expect(thresholds?.some((t) => t !== 0.5)).toBe(true);
  }
  const final = await classifierCheckpoint.readState(straight.runDir);

  const config = fixture.config(settings);
  await train(config, 1);
  const saved = await classifierCheckpoint.readState(config.runDir);
  expect(saved?.flex).toBeNull();
  expect(saved?.freematch).toMatchObject({ kind: 'freematch', momentum: 0.999 });
  // The labelled clips are two of each class: the alignment's prior is [1/2, 1/2], and it has seen 3 steps.
  expect(saved?.alignment?.prior).toEqual([0.5, 0.5]);
  expect(saved?.alignment?.runningMean).toHaveLength(2);
  const resumed = await train({ ...config, resume: true });
  expect(ofType(resumed.messages, 'epoch').map((m) => m.metrics.epoch)).toEqual([2, 3]);
  expect(ofType(resumed.messages, 'epoch').map((m) => m.metrics.classThresholds)).toEqual(thresholdsAt.slice(1));
  const after = await classifierCheckpoint.readState(config.runDir);
  expect(after?.freematch).toEqual(final?.freematch);
  expect(after?.alignment).toEqual(final?.alignment);
  expect(tf.memory().numTensors).toBe(before);
});

it('supervised training never decodes the unlabelled clips', async () => {
  const config = fixture.config(
    { method: 'supervised', epochs: 1, mcPasses: 0 },
    { predict: fixture.clips.slice(0, 3), clipCacheDir: path.join(fixture.dir, 'cache-supervised') },
  );
  const { messages } = await train(config);
  expect(ofType(messages, 'epoch')).toHaveLength(1);
  // As many steps per epoch as a semi-supervised run takes over the unlabelled clips: equal budgets.
  const { batchSize, mu } = config.settings;
  const expectedSteps = Math.ceil(Math.max(config.unlabelled.length / (mu * batchSize), config.train.length / batchSize));
  expect(ofType(messages, 'epoch')[0]?.metrics.step).toBe(expectedSteps);
  expectValidPredictions(ofType(messages, 'predictions').flatMap((c) => c.rows), [1, 2, 3], 0);
  const cache = new ClipCache(config.clipCacheDir, { frames: 4, size: 16, fps: null }, config.tools);
  const predicted = new Set(config.predict.map((c) => c.clipId));
  for (const clip of config.unlabelled.filter((c) => !predicted.has(c.clipId))) expect(cache.has(clip)).toBe(false);
  for (const { clip } of config.train) expect(cache.has(clip)).toBe(true);
});

it('a labelled clip of a damaged video is skipped with its file and reason; a run with none left fails', async () => {
  const broken = path.join(fixture.dir, 'videos', 'broken.mp4');
  fs.writeFileSync(broken, 'this is not a video');
  const base = fixture.config({ method: 'supervised', epochs: 1, mcPasses: 0 });
  const first = base.train[0];
  if (first === undefined) throw new Error('fixture has no labelled clip');
  const damaged = (c: typeof first): typeof first => ({ ...c, clip: { ...c.clip, videoPath: broken, videoHash: `broken-${c.clip.clipId}` } });
  const config: RunConfig = { ...base, train: [damaged(first), ...base.train.slice(1)] };
  const { messages } = await train(config);
  const skipped = ofType(messages, 'progress').find((m) => m.message.startsWith('Skipping:'));
  expect(skipped?.message).toMatch(/^Skipping: 1 labelled clip cannot be decoded: .*broken\.mp4/);
  expect(messages.at(-1)).toMatchObject({ type: 'done', epochs: 1 });
  await expect(train({ ...base, train: base.train.map(damaged) })).rejects.toThrow(/labelled clips? cannot be decoded: .*broken\.mp4.*no labelled clip is left to train on/);
});

it('FixMatch split across two threads: the run says so, learns from both shards and keeps tensor counts stable', async () => {
  // B = 4 and μ = 6: 52 clip views a step, enough for two shards of at least MIN_ROWS_PER_SHARD.
  const config = fixture.config({ method: 'fixmatch', threads: 2, batchSize: 4, mu: 6, epochs: 3, mcPasses: 0 }, { clipCacheDir: path.join(fixture.dir, 'cache-threads') });
  const before = tf.memory().numTensors;
  const { messages, tensorsAtEpoch } = await train(config);
  const started = messages[0];
  expect(started?.type === 'started' && started.backend.reason).toMatch(/each step is split across 2 threads/);
  const epochs = ofType(messages, 'epoch');
  expect(epochs.map((m) => m.metrics.epoch)).toEqual([1, 2, 3]);
  for (const { metrics } of epochs) {
    expect(Number.isFinite(metrics.loss)).toBe(true);
    expect(metrics.maskRate).toBeGreaterThanOrEqual(0);
    expect(metrics.maskRate).toBeLessThanOrEqual(1);
    expect(metrics.trainAccuracy).toBeGreaterThanOrEqual(0);
    expect(metrics.trainAccuracy).toBeLessThanOrEqual(1);
  }
  expect(new Set(tensorsAtEpoch).size).toBe(1);
  expect(tf.memory().numTensors).toBe(before);
  expect(messages.at(-1)).toMatchObject({ type: 'done', epochs: 3 });
});

it('a step over its memory budget runs as micro-batches: the run says how, trains and frees every tensor', async () => {
  // MvPL with B = 2, μ = 2: 3 views × 2 × (1 + 2·2) = 30 rows a step; 1 MiB holds fewer than any split gives, so
  // the finest: one unlabelled clip each, two of the four without a labelled clip.
  const clipCacheDir = path.join(fixture.dir, 'cache-mvpl');
  const config = fixture.config({ method: 'mvpl', threads: 1, maxStepMemory: 1, epochs: 1, mcPasses: 0 }, { clipCacheDir });
  const before = tf.memory().numTensors;
  const { messages } = await train(config);
  const started = messages[0];
  expect(started?.type === 'started' && started.backend.reason).toMatch(/a step runs as 4 micro-batches of at most 9 rows, the fewest it can \(one unlabelled clip each\), yet more than 1 MiB/);
  const epochs = ofType(messages, 'epoch');
  expect(epochs.map((m) => [m.metrics.loss, m.metrics.trainAccuracy].every(Number.isFinite))).toEqual([true]);
  expect(tf.memory().numTensors).toBe(before);
  expect(messages.at(-1)).toMatchObject({ type: 'done', epochs: 1 });
});

it('MvPL trains on colour, temporal-gradient and flow views cached beside the clips, and predicts from colour', async () => {
  const clipCacheDir = path.join(fixture.dir, 'cache-mvpl');
  const config = fixture.config({ method: 'mvpl', epochs: 2, mcPasses: 2 }, { clipCacheDir });
  const before = tf.memory().numTensors;
  const { messages, tensorsAtEpoch } = await train(config);
  const epochs = ofType(messages, 'epoch');
  expect(epochs.map((m) => m.metrics.epoch)).toEqual([1, 2]);
  for (const { metrics } of epochs) expect(Number.isFinite(metrics.loss)).toBe(true);
  expect(new Set(tensorsAtEpoch).size).toBe(1);
  expect(tf.memory().numTensors).toBe(before);
  const files = fs.readdirSync(clipCacheDir, { recursive: true }).map(String);
  const rgb = files.filter((f) => /\d+-\d+\.u8$/.test(f) && !/\.(tgrad|flow)-v1\.u8$/.test(f));
  expect(files.filter((f) => f.endsWith('.flow-v1.u8')).length).toBe(config.train.length + config.unlabelled.length);
  expect(files.filter((f) => f.endsWith('.tgrad-v1.u8')).length).toBe(config.train.length + config.unlabelled.length);
  expect(rgb.length).toBe(fixture.clips.length);
  expectValidPredictions(ofType(messages, 'predictions').flatMap((c) => c.rows), fixture.clips.map((c) => c.clipId), 2);
});

it('UPS trains round after round from fresh weights on the pseudo-labels it was sure of, and on people’s “not this class”', async () => {
  const base = fixture.config(
    // Loose thresholds so this tiny model selects something to train on.
    { method: 'ups', epochs: 1, upsRounds: 2, mcPasses: 3, upsTauP: 0.3, upsKappaP: 1, upsTauN: 0.45, upsKappaN: 1 },
    { clipCacheDir: path.join(fixture.dir, 'cache-ups') },
  );
  // A person ruled out class 1 for the first unlabelled clip.
  const config: RunConfig = { ...base, unlabelledNegatives: base.unlabelled.map((_, i) => (i === 0 ? [1] : [])) };
  const before = tf.memory().numTensors;
  const { messages, tensorsAtEpoch } = await train(config);
  expect(ofType(messages, 'epoch').map((m) => m.metrics.epoch)).toEqual([1, 2]);
  expect(new Set(tensorsAtEpoch).size).toBe(1);
  expect(tf.memory().numTensors).toBe(before);
  const progress = ofType(messages, 'progress').map((m) => m.message ?? '');
  expect(progress.some((m) => /^UPS round 2: \d+ pseudo-labels and \d+ clips with "surely not" classes selected/.test(m))).toBe(true);

  const summary = JSON.parse(fs.readFileSync(path.join(config.runDir, 'ups-round-1.json'), 'utf8')) as {
    round: number;
    positives: { clipId: number; classIndex: number; confidence: number; std: number }[];
    counts: { positives: number };
  };
  expect(summary.round).toBe(1);
  expect(summary.positives.length).toBe(summary.counts.positives);
  const unlabelledIds = new Set(config.unlabelled.map((c) => c.clipId));
  for (const p of summary.positives) {
    expect(unlabelledIds.has(p.clipId)).toBe(true);
    expect(p.confidence).toBeGreaterThanOrEqual(0.3);
    // The person's "not class 1" outranks the model.
    if (p.clipId === config.unlabelled[0]?.clipId) expect(p.classIndex).not.toBe(1);
  }
  expect(summary.positives.length).toBeGreaterThan(0);
  const state = await classifierCheckpoint.readState(config.runDir);
  expect((state?.ups as { round: number } | undefined)?.round).toBe(1);
  expect(messages.at(-1)).toMatchObject({ type: 'done', epochs: 2 });
});

it('TCL warms up on the labelled clips, then contrasts each unlabelled clip with itself at double speed', async () => {
  const config = fixture.config({ method: 'tcl', epochs: 2, tclWarmup: 0.5, mcPasses: 0 }, { clipCacheDir: path.join(fixture.dir, 'cache-tcl') });
  const before = tf.memory().numTensors;
  const { messages, tensorsAtEpoch } = await train(config);
  const epochs = ofType(messages, 'epoch').map((m) => m.metrics);
  expect(epochs.map((m) => m.epoch)).toEqual([1, 2]);
  // Epoch 1 is the warm-up: labelled loss only. Epoch 2 adds the contrastive losses.
  expect(epochs[0]?.unsupervisedLoss).toBe(0);
  expect(epochs[1]?.unsupervisedLoss).toBeGreaterThan(0);
  expect(new Set(tensorsAtEpoch).size).toBe(1);
  expect(tf.memory().numTensors).toBe(before);
  expect(messages.at(-1)).toMatchObject({ type: 'done', epochs: 2 });
});

it('UPS without any ruled-out class trains its first round on the labelled clips alone', async () => {
  const config = fixture.config(
    { method: 'ups', epochs: 1, upsRounds: 2, mcPasses: 2, upsTauP: 0.3, upsKappaP: 1 },
    { clipCacheDir: path.join(fixture.dir, 'cache-ups-plain') },
  );
  const { messages } = await train(config);
  const epochs = ofType(messages, 'epoch').map((m) => m.metrics);
  expect(epochs.map((m) => m.epoch)).toEqual([1, 2]);
  expect(epochs[0]?.unsupervisedLoss).toBe(0);
  expect(messages.at(-1)).toMatchObject({ type: 'done', epochs: 2 });
});
