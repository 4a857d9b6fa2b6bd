import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAndWait, openTestProject, waitFor, waitForJobs, type TestProject } from '../../../../tests/fixtures/core-harness.js';
import { makeVideo } from '../../../../tests/fixtures/make-videos.js';
import { ensureCliBuilt } from '../../../../tests/fixtures/run-cli.js';
import type { TrainSettingsInput } from '../../../shared/training.js';
import { createEngineWorker } from '../../engine-worker-script.js';

let t: TestProject;
const worker = createEngineWorker();
const tiny: TrainSettingsInput = {
  method: 'fixmatch',
  frames: 4,
  size: 16,
  width: 4,
  depth: 1,
  batchSize: 2,
  mu: 1,
  mcPasses: 2,
  epochs: 400,
};

beforeAll(async () => {
  ensureCliBuilt(); // the worker thread runs the compiled engine
  t = await openTestProject({ engine: worker });
  for (let i = 0; i < 3; i++) {
    await makeVideo(path.join(t.media, `card-${i}.mp4`), { seconds: 2, fps: '10', width: 48, height: 32, title: `c${i}` });
    await makeVideo(path.join(t.media, `fractal-${i}.mp4`), {
      seconds: 2,
      fps: '10',
      width: 48,
      height: 32,
      pattern: 'mandelbrot',
      title: `f${i}`,
    });
  }
  await importAndWait(t.core, [t.media]);
  const clips = (await t.core.call('clips:query', { limit: 100 })).items;
  const videos = new Map((await t.core.call('videos:list', {})).map((v) => [v.id, v.name]));
  for (const name of ['card', 'fractal']) {
    const cls = await t.core.call('classes:create', { name });
    for (const clip of clips.filter((c) => /-[01]\.mp4$/.test(videos.get(c.videoId) ?? '') && videos.get(c.videoId)?.startsWith(name))) {
      await t.core.call('labels:set', { clipId: clip.id, classId: cls.id });
    }
  }
}, 120_000);

afterAll(async () => {
  await t.dispose();
  await worker.terminate();
});

async function runState(id: number) {
  return t.core.call('runs:get', { id });
}

describe('training runs in the worker', () => {
  it('cancel keeps the checkpoint, resume goes on from the next epoch, and a killed worker fails the run with the reason', async () => {
    const epochs: number[] = [];
    t.core.events.on('run:epoch', (m) => epochs.push(m.epoch));
    const run = await t.core.call('train:start', { settings: tiny });
    expect(run.status).toBe('queued');
    await waitFor('two epochs', () => epochs.length >= 2, 60_000);
    await t.core.call('train:cancel', { runId: run.id });
    await waitForJobs(t.core);
    const cancelled = await runState(run.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', resumable: true, hasModel: false });
    expect(cancelled.backend).toBe('wasm');
    const done = cancelled.epochsDone;
    expect(done).toBeGreaterThanOrEqual(2);
    expect(cancelled.stop).toMatchObject({ reason: 'cancelled', epoch: done });
    expect((await t.core.call('runs:metrics', { id: run.id })).epochs.map((e) => e.epoch)).toEqual(
      Array.from({ length: done }, (_, i) => i + 1),
    );

    epochs.length = 0;
    await t.core.call('train:resume', { runId: run.id });
    await waitFor('an epoch after resuming', () => epochs.length >= 1, 60_000);
    expect(epochs[0]).toBe(done + 1);
    await waitFor('running', async () => (await runState(run.id)).status === 'running');
    expect((await runState(run.id)).stop).toBeNull();

    await worker.terminate();
    await waitForJobs(t.core);
    const failed = await runState(run.id);
    expect(failed.status).toBe('failed');
    expect(await t.core.call('runs:evaluation', { id: run.id })).toEqual({
      runId: run.id,
      computed: false,
      reason: 'Not computed: the run failed before its final model was evaluated.',
    });
    expect(failed.error).toMatch(/training worker was terminated/);
    expect(failed.resumable).toBe(true);
    const job = (await t.core.call('jobs:list', {})).find((j) => j.kind === 'train' && j.state === 'failed');
    expect(job?.error).toMatch(/terminated/);
  }, 120_000);

  it('refuses to resume a finished run or predict without a model, with the reason', async () => {
    const run = await t.core.call('train:start', { settings: { ...tiny, epochs: 1 } });
    await waitForJobs(t.core);
    const finished = await runState(run.id);
    expect(finished).toMatchObject({ status: 'succeeded', hasModel: true, resumable: false, predictions: 6 });
    expect(finished.stop).toEqual({ reason: 'epochs', epoch: 1, metric: null, bestEpoch: null, best: null, patience: null, weights: 'last' });
    // Two clips per class, none held out at the default share: evaluated, over no validation clip.
    const evaluation = await t.core.call('runs:evaluation', { id: run.id });
    expect(evaluation).toMatchObject({ computed: true, total: 0, accuracy: null, matrix: [[0, 0], [0, 0]] });
    await expect(t.core.call('train:resume', { runId: run.id })).rejects.toThrow(/already trained all its 1 epochs/);

    const predicted = await t.core.call('predict:start', { runId: run.id, mcPasses: 0 });
    expect(predicted.jobId).not.toBeNull();
    await waitForJobs(t.core);
    const page = await t.core.call('predictions:list', { runId: run.id });
    expect(page.total).toBe(6);
    expect(page.items.every((p) => p.uncertainty === null)).toBe(true);
    expect((await runState(run.id)).status).toBe('succeeded');

    // Predicting again keeps the evaluation of the model training ended with.
    expect(await t.core.call('runs:evaluation', { id: run.id })).toEqual(evaluation);

    await t.core.call('runs:delete', { id: run.id });
    await expect(runState(run.id)).rejects.toThrow(/no training run/);
    await expect(t.core.call('runs:evaluation', { id: run.id })).rejects.toThrow(/no training run/);
  }, 120_000);
});
