import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from '../../../../tests/fixtures/api-rejection.js';
import { importAndWait, openTestProject, videoAt, waitForJobs, type TestProject } from '../../../../tests/fixtures/core-harness.js';
import { makeCorruptVideo } from '../../../../tests/fixtures/make-videos.js';
import type { AnomalySettingsInput } from '../../../shared/anomaly.js';
import type { EventMap } from '../../../shared/contract.js';
import { anomalyCheckpoint } from '../worker/train/anomaly-checkpoint.js';
import { inProcessEngine } from '../../../../tests/fixtures/review-project.js';
import { anomalyRunDir, anomalyRunModelDir } from './anomaly-run-files.js';
import { makeStreetVideo } from './test-footage.fixture.js';

// Training and scoring run in this thread (the worker path is covered by reversal-detection.test.ts).
let t: TestProject;
const ids = { normal: 0, clip: 0, broken: 0 };
let brokenPath = '';
const tiny: AnomalySettingsInput = {
  epochs: 3,
  batchSize: 8,
  learningRate: 3e-3,
  size: 16,
  width: 4,
  depth: 2,
  maxTubes: 16,
  // Every frame: the footage is 40 frames, shorter than a 19-frame window sampled at 10 fps from 25 fps.
  sampleFps: 0,
  windowStride: 4,
  longSide: 80,
};

/** Every event of these kinds, in order. */
const seen: { [K in 'anomaly:epoch' | 'anomaly:step' | 'anomaly:scored' | 'anomaly:runs:changed' | 'anomaly:runs:removed']: EventMap[K][] } = {
  'anomaly:epoch': [],
  'anomaly:step': [],
  'anomaly:scored': [],
  'anomaly:runs:changed': [],
  'anomaly:runs:removed': [],
};

beforeAll(async () => {
  t = await openTestProject({ engine: inProcessEngine, author: 'tester' });
  for (const name of Object.keys(seen) as (keyof typeof seen)[]) {
    t.core.events.on(name, (payload) => (seen[name] as unknown[]).push(payload));
  }
  await makeStreetVideo(path.join(t.media, 'normal.mp4'), { frames: 60 });
  await makeStreetVideo(path.join(t.media, 'clip.mp4'), { frames: 40, firstFrame: 200 });
  brokenPath = await makeStreetVideo(path.join(t.media, 'broken.mp4'), { frames: 40, firstFrame: 300 });
  await importAndWait(t.core, [t.media]);
  ids.normal = (await videoAt(t.core, path.join(t.media, 'normal.mp4'))).id;
  ids.clip = (await videoAt(t.core, path.join(t.media, 'clip.mp4'))).id;
  ids.broken = (await videoAt(t.core, brokenPath)).id;
  // Damaged after import: the project knows it as a video, its frames no longer decode.
  await makeCorruptVideo(brokenPath, { width: 160, height: 120 });
}, 60_000);
afterAll(async () => {
  await t.dispose();
});

let trained = 0;

describe('anomaly runs', () => {
  it('refuses to train before any footage is marked normal, and says how to fix it', async () => {
    expect(await t.core.call('anomaly:options', {})).toMatchObject({ normal: { intervals: 0, videos: 0, frames: 0 }, defaults: { epochs: 30, size: 64, sampleFps: 10, windowStrideSeconds: 0.2, windowStride: null } });
    const error = await rejection(t.core.call('anomaly:train', { settings: tiny }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/mark .*normal first/i);
    expect(await t.core.call('anomaly:runs', {})).toEqual([]);
    expect((await rejection(t.core.call('anomaly:train', { settings: tiny, normalVideoIds: [9999] }))).code).toBe('NOT_FOUND');
  });

  it('marks chosen videos normal (undoably), trains on them, and persists and announces every epoch; no tensor is left', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const queued = await t.core.call('anomaly:train', { settings: tiny, name: 'street', normalVideoIds: [ids.normal] });
    expect(queued).toMatchObject({ name: 'street', status: 'queued', normal: { intervals: 1, videos: 1, frames: 60 } });
    expect(queued.jobId).not.toBeNull();
    const history = await t.core.call('history:list', { limit: 1 });
    expect(history[0]?.action).toBe('anomaly:marks:whole');
    await waitForJobs(t.core);
    trained = queued.id;

    const run = await t.core.call('anomaly:run', { id: trained });
    expect(run).toMatchObject({ status: 'succeeded', error: null, jobId: null, epochsDone: 3, hasModel: true, resumable: false, backend: 'wasm', last: { epoch: 3 } });
    expect(run.tubes?.kept).toBe(16);
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    const metrics = await t.core.call('anomaly:metrics', { id: trained });
    expect(metrics.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(seen['anomaly:epoch'].map((e) => [e.runId, e.epoch])).toEqual([[trained, 1], [trained, 2], [trained, 3]]);
    expect(seen['anomaly:runs:changed'].at(-1)).toMatchObject({ id: trained, status: 'succeeded' });
    expect(fs.existsSync(path.join(anomalyRunModelDir(t.session().project, trained), 'model.json'))).toBe(true);
    expect(fs.existsSync(anomalyCheckpoint.path(anomalyRunDir(t.session().project, trained)))).toBe(true);
    expect((await t.core.call('anomaly:options', {})).normal).toEqual({ intervals: 1, videos: 1, frames: 60 });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('scores videos as a job: each curve is stored and announced, a damaged video fails the job with its path, the curves before it stay', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const job = await t.core.call('anomaly:score', { runId: trained, videoIds: [ids.clip, ids.broken], options: { stride: 3, sigma: 4 } });
    expect((await t.core.call('anomaly:run', { id: trained })).jobId).toBe(job.id);
    await waitForJobs(t.core);

    const finished = (await t.core.call('jobs:list', {})).find((j) => j.id === job.id);
    expect(finished?.state).toBe('failed');
    expect(finished?.error).toContain(brokenPath);
    expect(finished?.error).toMatch(/truncated or corrupt/);
    expect(seen['anomaly:scored']).toEqual([{ runId: trained, videoId: ids.clip }]);
    const stored = t.session().anomaly.scores.get(trained, ids.clip);
    expect(stored).toMatchObject({ frameCount: 40, fps: 25, options: { stride: 3, sigma: 4, strideSeconds: 0.6, sigmaSeconds: 0.8 } });
    // What was used: the run's sampling (every frame), and the frame overrides over the seconds.
    expect(stored?.sampling).toMatchObject({ fps: 25, frameStep: 1, strideFrames: 3, strideSeconds: 0.12, sigmaFrames: 4, sigmaSeconds: 0.16 });
    expect(stored?.scores).toHaveLength(40);
    expect(t.session().anomaly.scores.get(trained, ids.broken)).toBeNull();
    expect(await t.core.call('anomaly:run', { id: trained })).toMatchObject({ status: 'succeeded', jobId: null, scoredVideos: 1, error: null });
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    expect((await rejection(t.core.call('anomaly:score', { runId: trained, videoIds: [9999], options: { stride: 7, sigma: 20 } }))).code).toBe('NOT_FOUND');
    expect((await rejection(t.core.call('anomaly:score', { runId: 9999, videoIds: [ids.clip], options: { stride: 7, sigma: 20 } }))).code).toBe('NOT_FOUND');
  });

  it('cancels a scoring job while it runs, and one still waiting for the worker', async () => {
    const jobMessages: string[] = [];
    let cancelled = false;
    const off = t.core.events.on('job:updated', (job) => {
      jobMessages.push(job.message);
      if (!cancelled && job.message.startsWith('Scoring video')) {
        cancelled = true;
        void t.core.call('anomaly:cancel', { runId: trained });
      }
    });
    // 24 s of footage: scored in a fraction of a second, but not before the cancel arrives (a 2 s clip could be).
    const longDir = path.join(t.media, 'long');
    fs.mkdirSync(longDir, { recursive: true });
    const longFile = await makeStreetVideo(path.join(longDir, 'long.mp4'), { frames: 600 });
    await importAndWait(t.core, [longDir]);
    const long = (await videoAt(t.core, longFile)).id;
    const before = seen['anomaly:scored'].length;
    const running = await t.core.call('anomaly:score', { runId: trained, videoIds: [long, ids.clip], options: { stride: 7, sigma: 20 } });
    await waitForJobs(t.core);
    off();
    expect((await t.core.call('jobs:list', {})).find((j) => j.id === running.id)?.state).toBe('cancelled');
    expect(seen['anomaly:scored'].length).toBe(before);
    expect((await t.core.call('anomaly:run', { id: trained })).jobId).toBeNull();

    // A training job holds the worker; the scoring job queued behind it is cancelled before it starts.
    const other = await t.core.call('anomaly:train', { settings: { ...tiny, epochs: 1 } });
    const waiting = await t.core.call('anomaly:score', { runId: trained, videoIds: [ids.clip], options: { stride: 7, sigma: 20 } });
    expect((await rejection(t.core.call('anomaly:score', { runId: trained, videoIds: [ids.clip], options: { stride: 7, sigma: 20 } }))).message).toMatch(/busy scoring/);
    expect((await rejection(t.core.call('anomaly:delete', { id: trained }))).message).toMatch(/scoring videos: cancel it/);
    expect(await t.core.call('anomaly:cancel', { runId: trained })).toMatchObject({ jobId: null, status: 'succeeded' });
    await waitForJobs(t.core);
    expect((await t.core.call('jobs:list', {})).find((j) => j.id === waiting.id)?.state).toBe('cancelled');
    expect((await t.core.call('anomaly:run', { id: other.id })).status).toBe('succeeded');
    await t.core.call('anomaly:delete', { id: other.id });
  });

  it('cancel after an epoch keeps the checkpoint; resume trains the remaining epochs', async () => {
    const run = await t.core.call('anomaly:train', { settings: tiny });
    expect((await rejection(t.core.call('anomaly:score', { runId: run.id, videoIds: [ids.clip], options: { stride: 7, sigma: 20 } }))).message).toMatch(/no trained model/);
    const off = t.core.events.on('anomaly:epoch', (e) => {
      if (e.runId === run.id && e.epoch === 1) void t.core.call('anomaly:cancel', { runId: run.id });
    });
    await waitForJobs(t.core);
    off();
    const cancelled = await t.core.call('anomaly:run', { id: run.id });
    expect(cancelled).toMatchObject({ status: 'cancelled', epochsDone: 1, resumable: true, hasModel: false, jobId: null });
    expect((await rejection(t.core.call('anomaly:resume', { runId: trained }))).message).toMatch(/already trained all its 3 epochs/);

    const epochsBefore = seen['anomaly:epoch'].length;
    const resumed = await t.core.call('anomaly:resume', { runId: run.id });
    expect(resumed.status).toBe('queued');
    await waitForJobs(t.core);
    expect(seen['anomaly:epoch'].slice(epochsBefore).map((e) => e.epoch)).toEqual([2, 3]);
    expect(await t.core.call('anomaly:run', { id: run.id })).toMatchObject({ status: 'succeeded', epochsDone: 3, hasModel: true, resumable: false });
    expect((await t.core.call('anomaly:metrics', { id: run.id })).epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    await t.core.call('anomaly:delete', { id: run.id });
  });

  it('a run the app lost while training reads as interrupted after the project is opened again', async () => {
    const run = await t.core.call('anomaly:train', { settings: tiny });
    await waitForJobs(t.core);
    t.session().anomaly.runs.update(run.id, { status: 'running', jobId: 12345 });
    await t.core.call('project:close', {});
    await t.core.call('project:open', { path: t.projectDir });
    expect(await t.core.call('anomaly:run', { id: run.id })).toMatchObject({
      status: 'interrupted',
      jobId: null,
      error: 'The app stopped while this run was training.',
      resumable: false,
    });
    await t.core.call('anomaly:delete', { id: run.id });
  });

  it('deletes a run with its files and scores', async () => {
    const dir = anomalyRunDir(t.session().project, trained);
    expect(fs.existsSync(dir)).toBe(true);
    await t.core.call('anomaly:delete', { id: trained });
    expect(fs.existsSync(dir)).toBe(false);
    expect(seen['anomaly:runs:removed'].at(-1)).toEqual({ id: trained });
    expect(t.session().anomaly.scores.count(trained)).toBe(0);
    expect((await rejection(t.core.call('anomaly:run', { id: trained }))).code).toBe('NOT_FOUND');
    expect(await t.core.call('anomaly:runs', {})).toEqual([]);
  });
});
