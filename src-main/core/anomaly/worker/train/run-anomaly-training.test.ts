import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../../../../tests/fixtures/make-videos.js';
import { resolveMediaTools } from '../../../media/media-tools.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { loadAnomalyModel } from '../model/anomaly-model-io.js';
import { anomalyCheckpoint } from './anomaly-checkpoint.js';
import { inProcessHost } from '../../../engine/job.js';
import { MODEL_DIR } from '../../../engine/model-files.js';
import type { AnomalyEpochMetrics, AnomalyRunConfig, AnomalyTrainMessage } from '../../jobs.js';
import { runAnomalyTraining } from './run-anomaly-training.js';

let dir: string;
let video: string;
let runs = 0;

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anomaly-train-'));
  video = await makeVideo(path.join(dir, 'normal.mp4'), { seconds: 3, width: 160, height: 120 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function config(overrides: Partial<AnomalyRunConfig['settings']> = {}, runDir = path.join(dir, `run-${++runs}`)): AnomalyRunConfig {
  return {
    runId: runs,
    // 15 tubes (of the ~19 the footage holds) in batches of 5: 3 steps an epoch.
    settings: { epochs: 3, batchSize: 5, learningRate: 3e-3, seed: 11, size: 16, channels: 3, width: 4, depth: 2, maxTubes: 15, sampleFps: 0, windowStrideSeconds: 0.2, windowStride: 4, longSide: 80, ...overrides },
    normal: [{ file: video }],
    runDir,
    tools: resolveMediaTools(),
    backend: 'wasm',
    resume: false,
  };
}

interface Recorded {
  messages: AnomalyTrainMessage[];
  tensorsAtEpoch: number[];
}

async function train(run: AnomalyRunConfig, cancelWhen: (m: AnomalyTrainMessage) => boolean = () => false): Promise<Recorded> {
  const controller = new AbortController();
  const recorded: Recorded = { messages: [], tensorsAtEpoch: [] };
  await runAnomalyTraining(
    run,
    inProcessHost((message) => {
      recorded.messages.push(message);
      if (message.type === 'epoch') recorded.tensorsAtEpoch.push(tf.memory().numTensors);
      if (cancelWhen(message)) controller.abort();
    }, controller.signal),
  );
  return recorded;
}

const ofType = <T extends AnomalyTrainMessage['type']>(messages: AnomalyTrainMessage[], type: T) =>
  messages.filter((m): m is Extract<AnomalyTrainMessage, { type: T }> => m.type === type);

const epochMetrics = (messages: AnomalyTrainMessage[]): AnomalyEpochMetrics[] => ofType(messages, 'epoch').map((m) => m.metrics);

/** Long enough that the loss falls clearly while half the tubes are mirrored at random each step. */
const EPOCHS = 12;

/** The long run's epochs, for the resume test to compare against. */
let reference: AnomalyEpochMetrics[] = [];

describe('runAnomalyTraining', () => {
  it('trains on tubes from real footage: loss falls, metrics and checkpoints every epoch, tensors stable, model saved', async () => {
    const run = config({ epochs: EPOCHS });
    const before = tf.memory().numTensors;
    const { messages, tensorsAtEpoch } = await train(run);

    expect(messages[0]).toMatchObject({ type: 'started', backend: { name: 'wasm' } });
    expect(ofType(messages, 'tubes')[0]?.stats).toMatchObject({ kept: 15 });
    expect(ofType(messages, 'step').length).toBeGreaterThan(0);
    const epochs = epochMetrics(messages);
    expect(epochs.map((m) => [m.epoch, m.step, m.tubes])).toEqual(Array.from({ length: EPOCHS }, (_, i) => [i + 1, 3 * (i + 1), 15]));
    for (const m of epochs) {
      expect(m.loss).toBeCloseTo(m.middleFrameLoss + m.arrowLoss + m.irregularLoss, 4);
      for (const accuracy of [m.arrowAccuracy, m.irregularAccuracy]) {
        expect(accuracy).toBeGreaterThanOrEqual(0);
        expect(accuracy).toBeLessThanOrEqual(1);
      }
      expect(m.tubesPerSecond).toBeGreaterThan(0);
    }
    // The task labels are drawn afresh every step, so single epochs are noisy: compare the first three with the last three.
    // The middle-frame loss, not the total: on 15 tubes that follow their object, 12 epochs leave the arrow-of-time and
    // irregularity heads near chance (their losses wander around ln 2), so the total does not fall reliably.
    const meanLoss = (ms: AnomalyEpochMetrics[]) => ms.reduce((sum, m) => sum + m.middleFrameLoss, 0) / ms.length;
    expect(meanLoss(epochs.slice(-3))).toBeLessThan(meanLoss(epochs.slice(0, 3)));
    expect(epochs[EPOCHS - 1]!.middleFrameLoss).toBeLessThan(0.9 * epochs[0]!.middleFrameLoss);
    expect(new Set(tensorsAtEpoch).size).toBe(1);
    expect(ofType(messages, 'epoch').every((m) => m.checkpointed)).toBe(true);

    const done = messages.at(-1);
    expect(done).toMatchObject({ type: 'done', epochs: EPOCHS, final: { epoch: EPOCHS } });
    const checkpoint = await anomalyCheckpoint.read(run.runDir);
    expect(checkpoint?.state).toMatchObject({ epoch: EPOCHS, step: 3 * EPOCHS });
    expect(checkpoint?.state.history).toEqual(epochs);
    const { model, spec } = await loadAnomalyModel(path.join(run.runDir, MODEL_DIR));
    expect(spec).toEqual({ size: 16, channels: 3, width: 4, depth: 2, teacherDim: 0 });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    reference = epochs;
  });

  it('resumes a cancelled run at the next epoch with the same weights, optimizer and random state', async () => {
    const first = config({ epochs: 2 });
    const cut = await train(first, (m) => m.type === 'epoch' && m.metrics.epoch === 1);
    expect(epochMetrics(cut.messages).map((m) => m.epoch)).toEqual([1]);
    expect(cut.messages.at(-1)).toEqual({ type: 'cancelled', epochs: 1 });
    expect((await anomalyCheckpoint.read(first.runDir))?.state.epoch).toBe(1);
    expect(fs.existsSync(path.join(first.runDir, MODEL_DIR))).toBe(false);

    const resumed = await train({ ...first, resume: true });
    const epochs = epochMetrics(resumed.messages);
    expect(epochs.map((m) => [m.epoch, m.step])).toEqual([[2, 6]]);
    // Bit for bit what the uninterrupted run did in its second epoch.
    expect(epochs[0]!.loss).toBe(reference[1]!.loss);
    expect(epochs[0]!.arrowAccuracy).toBe(reference[1]!.arrowAccuracy);
    expect(resumed.messages.at(-1)).toMatchObject({ type: 'done', epochs: 2, final: { epoch: 2 } });
    expect((await anomalyCheckpoint.read(first.runDir))?.state.history.map((h) => h.epoch)).toEqual([1, 2]);

    await expect(runAnomalyTraining({ ...first, settings: { ...first.settings, width: 8 }, resume: true }, inProcessHost(() => undefined))).rejects.toThrow(
      /other settings/,
    );
  });

  it('splits each step across 2 CPU threads when a step has the rows for it, and says so', async () => {
    // 16 tubes a step: 48 encoder rows, enough for 2 parts of MIN_ROWS_PER_SHARD; one step an epoch.
    const { messages } = await train(config({ epochs: 2, batchSize: 16, maxTubes: 16, threads: 2 }));
    expect(messages[0]).toMatchObject({ type: 'started', backend: { name: 'wasm', reason: expect.stringContaining('each step split across 2 CPU threads') } });
    const epochs = epochMetrics(messages);
    expect(epochs.map((m) => [m.epoch, m.step, m.tubes])).toEqual([[1, 1, 16], [2, 2, 16]]);
    for (const m of epochs) expect(m.loss).toBeCloseTo(m.middleFrameLoss + m.arrowLoss + m.irregularLoss, 4);
    expect(messages.at(-1)).toMatchObject({ type: 'done', epochs: 2 });
    const single = await train(config({ epochs: 1, batchSize: 16, maxTubes: 16, threads: 1 }));
    expect(single.messages[0]).toMatchObject({ type: 'started', backend: { reason: expect.not.stringContaining('split across') } });
  });

  it('cancels at the next step: no epoch, no checkpoint, no model, no tensors left', async () => {
    const run = config();
    const before = tf.memory().numTensors;
    const { messages } = await train(run, (m) => m.type === 'step');
    expect(ofType(messages, 'step')).toHaveLength(1);
    expect(epochMetrics(messages)).toEqual([]);
    expect(messages.at(-1)).toEqual({ type: 'cancelled', epochs: 0 });
    expect(await anomalyCheckpoint.read(run.runDir)).toBeNull();
    expect(fs.existsSync(path.join(run.runDir, MODEL_DIR))).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancels while the footage is being read, and rejects a run without normal footage', async () => {
    const run = config();
    const { messages } = await train(run, (m) => m.type === 'progress' && m.phase === 'decode');
    expect(ofType(messages, 'progress').length).toBeGreaterThan(0);
    expect(messages.at(-1)).toEqual({ type: 'cancelled', epochs: 0 });
    await expect(runAnomalyTraining({ ...run, normal: [] }, inProcessHost(() => undefined))).rejects.toThrow(/normal/);
  });
});
