import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../../tests/fixtures/core-harness.js';
import { addVideo } from '../../../../tests/fixtures/label-projects.js';
import { defaultTrainSettings } from '../../../shared/training.js';
import type { EpochMetrics } from '../../../shared/run-dto.js';
import { predictionStats } from './prediction-stats.js';
import { gatherTrainingDataset } from './training-dataset.js';

let t: TestProject;

beforeEach(async () => {
  t = await openTestProject();
});
afterEach(async () => {
  await t.dispose();
});

/** Ten 2-second videos of 50 frames at 25 fps: one automatic clip each. */
async function labelledProject(labels: Record<string, number>): Promise<number[]> {
  const ids = Array.from({ length: 10 }, (_, i) => addVideo(t, { path: `/videos/v${i}.mp4`, rate: '25/1', frames: 50 }));
  const page = await t.core.call('clips:query', { limit: 100 });
  let next = 0;
  for (const [name, count] of Object.entries(labels)) {
    const cls = await t.core.call('classes:create', { name });
    for (let i = 0; i < count; i++) {
      const clip = page.items[next++];
      if (!clip) throw new Error('not enough clips');
      await t.core.call('labels:set', { clipId: clip.id, classId: cls.id });
    }
  }
  return ids;
}

function epoch(n: number, extra: Partial<EpochMetrics> = {}): EpochMetrics {
  return {
    epoch: n,
    step: n * 10,
    lr: 0.03,
    loss: 1 / n,
    supervisedLoss: 0.5 / n,
    unsupervisedLoss: 0.5 / n,
    maskRate: n / 10,
    trainAccuracy: 0.5,
    validationAccuracy: n / 5,
    validationLoss: 1,
    classThresholds: null,
    clipsPerSecond: 12,
    seconds: 3,
    ...extra,
  };
}

describe('the training dataset', () => {
  it('holds out a share of each class to validate but leaves every class a clip to train on', async () => {
    await labelledProject({ walk: 5, run: 1, jump: 2 });
    const settings = { ...defaultTrainSettings('fixmatch'), validationFraction: 0.4 };
    const dataset = gatherTrainingDataset(t.session().project.db, settings);
    expect(dataset.classes.map((c) => c.name)).toEqual(['walk', 'run', 'jump']);
    const count = (split: typeof dataset.train, index: number) => split.filter((c) => c.classIndex === index).length;
    expect([count(dataset.train, 0), count(dataset.validation, 0)]).toEqual([3, 2]);
    expect([count(dataset.train, 1), count(dataset.validation, 1)]).toEqual([1, 0]);
    expect([count(dataset.train, 2), count(dataset.validation, 2)]).toEqual([1, 1]);
    expect(dataset.unlabelled).toHaveLength(2);
    expect(dataset.all).toHaveLength(10);
    // The same seed gives the same split.
    const again = gatherTrainingDataset(t.session().project.db, settings);
    expect(again.validation.map((c) => c.clip.clipId)).toEqual(dataset.validation.map((c) => c.clip.clipId));
  });

  it('leaves out classes nobody labelled, and refuses to train on fewer than two', async () => {
    await labelledProject({ walk: 2 });
    await t.core.call('classes:create', { name: 'run' });
    expect(() => gatherTrainingDataset(t.session().project.db, defaultTrainSettings('supervised'))).toThrow(
      /Only "walk" has labelled clips/,
    );
    await expect(t.core.call('train:start', { settings: { method: 'supervised' } })).rejects.toThrow(/Only "walk"/);
    expect(await t.core.call('runs:list', {})).toEqual([]);
  });

  it('refuses a semi-supervised method when no clip is left unlabelled', async () => {
    await labelledProject({ walk: 5, run: 5 });
    await expect(t.core.call('train:start', { settings: { method: 'fixmatch' } })).rejects.toThrow(
      /FixMatch learns from unlabelled clips and every clip is labelled/,
    );
    expect(await t.core.call('runs:list', {})).toEqual([]);
  });

  it('tells the Train view how many clips each class has and remembers the flip choice', async () => {
    await labelledProject({ left: 2, right: 1 });
    const options = await t.core.call('train:options', {});
    expect(options.classes.map((c) => [c.name, c.labelled])).toEqual([
      ['left', 2],
      ['right', 1],
    ]);
    expect([options.labelledClips, options.unlabelledClips]).toEqual([3, 7]);
    expect(options.flip).toBe(true);
    expect(options.defaults.flexmatch.threshold).toBe(0.95);
    expect(options.methods.map((m) => m.name)).toEqual(['supervised', 'pseudolabel', 'fixmatch', 'flexmatch', 'freematch', 'mvpl', 'ups', 'tcl', 'videossl']);
  });
});

describe('runs', () => {
  it('keep the pretraining objective they were made with; runs stored before the choice read as the contrast', async () => {
    await labelledProject({ a: 2, b: 2 });
    const { runs } = t.session().training;
    const made = (settings: ReturnType<typeof defaultTrainSettings>) =>
      runs.create({ name: 'r', settings, classes: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], dataset: { train: 3, validation: 1, unlabelled: 6 } });
    const svt = made({ ...defaultTrainSettings('fixmatch'), pretrainEpochs: 2 });
    expect(runs.get(svt)?.settings?.pretrainObjective).toBe('svt');
    const old = made({ ...defaultTrainSettings('fixmatch'), pretrainEpochs: 2 });
    const db = t.session().project.db;
    const row = db.prepare('SELECT settings_json FROM runs WHERE id = ?').get(old) as { settings_json: string };
    const { pretrainObjective: _dropped, ...before } = JSON.parse(row.settings_json) as Record<string, unknown>;
    db.prepare('UPDATE runs SET settings_json = ? WHERE id = ?').run(JSON.stringify(before), old);
    expect(runs.get(old)?.settings?.pretrainObjective).toBe('contrast');
  });

  it('keep their epoch metrics, class thresholds and step samples', async () => {
    await labelledProject({ a: 2, b: 2 });
    const { runs } = t.session().training;
    const id = runs.create({
      name: 'r',
      settings: defaultTrainSettings('flexmatch'),
      classes: [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ],
      dataset: { train: 3, validation: 1, unlabelled: 6 },
    });
    runs.addEpoch(id, epoch(1, { classThresholds: [0, 0.5] }));
    runs.addEpoch(id, epoch(2, { validationAccuracy: null, classThresholds: [0.1, 0.9] }));
    runs.addEpoch(id, epoch(3, { stage: 'pretrain', validationAccuracy: null, validationLoss: null }));
    runs.addStep(id, { epoch: 1, step: 3, loss: 2.5, maskRate: 0.25 });
    const metrics = runs.metrics(id);
    expect(metrics.epochs).toEqual([
      epoch(1, { classThresholds: [0, 0.5] }),
      epoch(2, { validationAccuracy: null, classThresholds: [0.1, 0.9] }),
      epoch(3, { stage: 'pretrain', validationAccuracy: null, validationLoss: null }),
    ]);
    expect(metrics.steps).toEqual([{ epoch: 1, step: 3, loss: 2.5, maskRate: 0.25 }]);
    const run = runs.get(id);
    expect(run?.epochsDone).toBe(3);
    expect(run?.last?.stage).toBe('pretrain');
    expect(run?.bestValidationAccuracy).toBeCloseTo(0.2);
    // A resumed run redoes what came after its checkpoint.
    runs.dropMetricsAfter(id, 1);
    expect(runs.metrics(id).epochs.every((e) => e.stage === undefined)).toBe(true);
    expect(runs.metrics(id).epochs.map((e) => e.epoch)).toEqual([1]);
  });

  it('never show "running" after the app stopped during training', async () => {
    const { runs } = t.session().training;
    const id = runs.create({
      name: 'r',
      settings: defaultTrainSettings('fixmatch'),
      classes: [],
      dataset: { train: 0, validation: 0, unlabelled: 0 },
    });
    runs.update(id, { status: 'running', epochsDone: 3 });
    await t.core.call('project:close', {});
    await t.core.call('project:open', { path: t.projectDir });
    const run = await t.core.call('runs:get', { id });
    expect(run.status).toBe('interrupted');
    expect(run.error).toMatch(/app stopped/);
    expect(run.resumable).toBe(true);
  });
});

describe('predictions', () => {
  it('summarise probabilities as confidence, margin and entropy', () => {
    const stats = predictionStats([0.1, 0.7, 0.2]);
    expect(stats.classIndex).toBe(1);
    expect(stats.confidence).toBeCloseTo(0.7);
    expect(stats.margin).toBeCloseTo(0.5);
    expect(stats.entropy).toBeCloseTo(-(0.1 * Math.log(0.1) + 0.7 * Math.log(0.7) + 0.2 * Math.log(0.2)));
    expect(predictionStats([0.25, 0.25, 0.25, 0.25]).entropy).toBeCloseTo(Math.log(4));
  });

  it('are stored per run and clip and export as csv and ActivityNet results', async () => {
    await labelledProject({ walk: 1, run: 1 });
    const { training } = t.session();
    const classes = (await t.core.call('classes:list', {})).map((c) => ({ id: c.id, name: c.name }));
    const id = training.runs.create({
      name: 'r',
      settings: defaultTrainSettings('fixmatch'),
      classes,
      dataset: { train: 2, validation: 0, unlabelled: 8 },
    });
    const clips = (await t.core.call('clips:query', { limit: 100 })).items;
    const [first, second, third] = clips;
    if (!first || !second || !third) throw new Error('clips missing');
    training.predictions.save(id, classes, [
      { clipId: first.id, probs: [0.9, 0.1], mcMean: [0.85, 0.15], mcStd: [0.05, 0.05] },
      { clipId: second.id, probs: [0.3, 0.7], mcMean: [], mcStd: [] },
      { clipId: third.id, probs: [0.4, 0.6], mcMean: [0.5, 0.5], mcStd: [0.2, 0.2] },
    ]);
    const page = await t.core.call('predictions:list', { runId: id });
    expect(page.total).toBe(3);
    const byClip = new Map(page.items.map((p) => [p.clipId, p]));
    expect(byClip.get(first.id)).toMatchObject({ classId: classes[0]?.id, uncertainty: expect.closeTo(0.05, 6) });
    expect(byClip.get(first.id)?.labelClassId).toBe(classes[0]?.id);
    expect(byClip.get(second.id)).toMatchObject({ classId: classes[1]?.id, uncertainty: null });
    expect(byClip.get(second.id)?.confidence).toBeCloseTo(0.7);
    expect((await t.core.call('predictions:list', { runId: id, unlabelledOnly: true })).total).toBe(1);
    const ofVideo = await t.core.call('predictions:list', { runId: id, videoId: second.videoId });
    expect(ofVideo.items.map((p) => p.clipId)).toEqual([second.id]);
    expect(ofVideo.total).toBe(1);

    const csv = path.join(t.tmp, 'out', 'predictions.csv');
    const report = await t.core.call('predictions:export', { runId: id, file: csv, format: 'csv' });
    expect(report.rows).toBe(3);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('path,start,end,label,confidence,uncertainty');
    expect(lines[1]).toBe('/videos/v0.mp4,0,2,walk,0.900000,0.050000');
    expect(lines[2]).toBe('/videos/v1.mp4,0,2,run,0.700000,');

    const json = path.join(t.tmp, 'out', 'predictions.json');
    await t.core.call('predictions:export', { file: json, format: 'activitynet' });
    const results = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      results: Record<string, { label: string; score: number; segment: number[] }[]>;
    };
    expect(results.results.v2).toEqual([{ label: 'run', score: 0.6, segment: [0, 2] }]);
  });
});
