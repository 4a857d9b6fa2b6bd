import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../../../tests/fixtures/core-harness.js';
import { addVideo } from '../../../../../tests/fixtures/label-projects.js';
import { anomalySettingsSchema, type AnomalyEpochDto } from '../../../../shared/anomaly.js';
import { AnomalyRunRepository, type NormalFootage } from './anomaly-run-repository.js';
import { AnomalyScoreRepository } from './anomaly-score-repository.js';

let t: TestProject;
let runs: AnomalyRunRepository;

beforeEach(async () => {
  t = await openTestProject();
  runs = new AnomalyRunRepository(t.session().project.db);
});
afterEach(async () => {
  await t.dispose();
});

const settings = anomalySettingsSchema.parse({ epochs: 4, size: 16, width: 4, depth: 2 });

function epoch(n: number, extra: Partial<AnomalyEpochDto> = {}): AnomalyEpochDto {
  return {
    epoch: n,
    step: n * 3,
    loss: 2 / n,
    middleFrameLoss: 1 / n,
    arrowLoss: 0.5 / n,
    irregularLoss: 0.5 / n,
    arrowAccuracy: 0.5 + n / 10,
    irregularAccuracy: 0.5,
    teacherLoss: null,
    learningRate: 1e-3,
    tubes: 15,
    tubesPerSecond: 40,
    seconds: 0.4,
    ...extra,
  };
}

function twoVideos(): NormalFootage[] {
  const a = addVideo(t, { path: '/videos/a.mp4', rate: '25/1', frames: 100 });
  const b = addVideo(t, { path: '/videos/b.mp4', rate: '25/1', frames: 50 });
  return [
    { videoId: a, path: '/videos/a.mp4', startFrame: 0, endFrame: 40 },
    { videoId: a, path: '/videos/a.mp4', startFrame: 60, endFrame: 100 },
    { videoId: b, path: '/videos/b.mp4', startFrame: 0, endFrame: 50 },
  ];
}

describe('AnomalyRunRepository', () => {
  it('creates a queued run that keeps its settings and normal footage, newest first in the list', () => {
    const normal = twoVideos();
    const first = runs.create({ name: 'first', settings, normal });
    const second = runs.create({ name: 'second', settings, normal: normal.slice(2) });
    expect(runs.list().map((r) => r.id)).toEqual([second, first]);
    expect(runs.get(first)).toMatchObject({
      id: first,
      name: 'first',
      settings,
      status: 'queued',
      error: null,
      jobId: null,
      epochsDone: 0,
      normal: { intervals: 3, videos: 2, frames: 130 },
      tubes: null,
      last: null,
      hasModel: false,
      resumable: false,
      scoredVideos: 0,
      startedAt: null,
      finishedAt: null,
    });
    expect(runs.normal(first)).toEqual(normal);
    expect(runs.get(9999)).toBeNull();
    expect(runs.latestWithModel()).toBeNull();
  });

  it('records epochs (replacing a repeated one) and steps, and forgets those after an epoch', () => {
    const id = runs.create({ name: 'r', settings, normal: twoVideos() });
    runs.addStep(id, { epoch: 1, step: 1, loss: 3, middleFrameLoss: 1, arrowLoss: 1, irregularLoss: 1, arrowAccuracy: 0.5, irregularAccuracy: 0.5 });
    runs.addEpoch(id, epoch(1, { seconds: 9 }));
    runs.addEpoch(id, epoch(1));
    runs.addEpoch(id, epoch(2));
    runs.addStep(id, { epoch: 3, step: 7, loss: 1, middleFrameLoss: 0.5, arrowLoss: 0.25, irregularLoss: 0.25, arrowAccuracy: 1, irregularAccuracy: 1 });

    const metrics = runs.metrics(id);
    expect(metrics.epochs).toEqual([epoch(1), epoch(2)]);
    expect(metrics.steps.map((s) => [s.epoch, s.step, s.loss])).toEqual([[1, 1, 3], [3, 7, 1]]);
    expect(runs.get(id)).toMatchObject({ epochsDone: 2, last: epoch(2) });

    runs.dropMetricsAfter(id, 1);
    expect(runs.metrics(id).epochs).toEqual([epoch(1)]);
    expect(runs.metrics(id).steps.map((s) => s.step)).toEqual([1]);
    // What was trained stays counted: the checkpoint holds it, and a resume starts after it.
    expect(runs.get(id)?.epochsDone).toBe(2);
  });

  it('updates status, job, backend, tubes and model; resumable only when stopped part way with a checkpoint', () => {
    const id = runs.create({ name: 'r', settings, normal: twoVideos() });
    runs.update(id, { status: 'running', jobId: 7, backend: 'wasm', backendReason: 'the only one', startedAt: '2025-01-01T00:00:00.000Z' });
    runs.update(id, { tubes: { kept: 15, seen: 40, motionWindows: 9, gridWindows: 1 } });
    expect(runs.get(id)).toMatchObject({
      status: 'running',
      jobId: 7,
      backend: 'wasm',
      backendReason: 'the only one',
      tubes: { kept: 15, seen: 40, motionWindows: 9, gridWindows: 1 },
      startedAt: '2025-01-01T00:00:00.000Z',
      resumable: false,
    });

    runs.update(id, { status: 'cancelled', jobId: null });
    expect(runs.get(id)?.resumable).toBe(false); // no epoch finished: no checkpoint
    runs.addEpoch(id, epoch(1));
    expect(runs.get(id)?.resumable).toBe(true);
    for (const status of ['failed', 'interrupted'] as const) {
      runs.update(id, { status });
      expect(runs.get(id)?.resumable).toBe(true);
    }
    for (let n = 2; n <= 4; n++) runs.addEpoch(id, epoch(n));
    expect(runs.get(id)?.resumable).toBe(false); // all epochs trained

    runs.update(id, { status: 'succeeded', hasModel: true, finishedAt: '2025-01-01T00:01:00.000Z' });
    expect(runs.get(id)).toMatchObject({ hasModel: true, resumable: false, finishedAt: '2025-01-01T00:01:00.000Z' });
    expect(runs.latestWithModel()?.id).toBe(id);
  });

  it('marks runs left queued or running interrupted with a reason, and drops scoring jobs the app lost', () => {
    const normal = twoVideos();
    const queued = runs.create({ name: 'q', settings, normal });
    const running = runs.create({ name: 'r', settings, normal });
    runs.update(running, { status: 'running', jobId: 3 });
    const failed = runs.create({ name: 'f', settings, normal });
    runs.update(failed, { status: 'failed', error: 'The loss is NaN.' });
    const scoring = runs.create({ name: 's', settings, normal });
    runs.update(scoring, { status: 'succeeded', hasModel: true, jobId: 4 });

    expect(runs.markInterrupted()).toBe(2);
    for (const id of [queued, running]) {
      expect(runs.get(id)).toMatchObject({
        status: 'interrupted',
        jobId: null,
        error: 'The app stopped while this run was training.',
      });
      expect(runs.get(id)?.finishedAt).not.toBeNull();
    }
    expect(runs.get(failed)).toMatchObject({ status: 'failed', error: 'The loss is NaN.' });
    expect(runs.get(scoring)).toMatchObject({ status: 'succeeded', jobId: null, hasModel: true, error: null });
  });

  it('counts scored videos, and removing a run takes its metrics and scores with it', () => {
    const normal = twoVideos();
    const id = runs.create({ name: 'r', settings, normal });
    runs.addEpoch(id, epoch(1));
    const scores = new AnomalyScoreRepository(t.session().project.db);
    const curve = (n: number) => new Float32Array(n).fill(0.5);
    for (const footage of [normal[0]!, normal[2]!]) {
      const frames = footage.videoId === normal[0]!.videoId ? 100 : 50;
      scores.save({
        runId: id,
        videoId: footage.videoId,
        frameCount: frames,
        fps: 25,
        scores: curve(frames),
        raw: curve(frames),
        perTask: { 'middle-frame-mae': curve(frames), 'p-backward': curve(frames), 'p-irregular': curve(frames) },
        boxes: null,
        options: { strideSeconds: 0.6, sigmaSeconds: 0.8, stride: 7, sigma: 20 },
        sampling: null,
        regionsScored: 10,
        windows: { motion: 3, grid: 1 },
        seconds: 0.1,
      });
    }
    expect(runs.get(id)?.scoredVideos).toBe(2);

    runs.remove(id);
    expect(runs.get(id)).toBeNull();
    const db = t.session().project.db;
    expect(db.prepare('SELECT COUNT(*) AS n FROM anomaly_metrics').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM anomaly_scores').get()).toEqual({ n: 0 });
  });
});
