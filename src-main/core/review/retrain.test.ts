import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importAndWait, openTestProject, waitForJobs, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { makeVideo } from '../../../tests/fixtures/make-videos.js';
import { inProcessEngine } from '../../../tests/fixtures/review-project.js';
import type { TrainSettingsInput } from '../../shared/training.js';

let t: TestProject;
const tiny: TrainSettingsInput = {
  method: 'supervised',
  frames: 4,
  size: 16,
  width: 4,
  depth: 1,
  batchSize: 2,
  epochs: 1,
  mcPasses: 3,
  dropout: 0.5,
  validationFraction: 0.5,
};

beforeAll(async () => {
  t = await openTestProject({ engine: inProcessEngine });
  for (let i = 0; i < 3; i++) {
    await makeVideo(path.join(t.media, `card-${i}.mp4`), { seconds: 2, fps: '10', width: 48, height: 32, title: `c${i}` });
    await makeVideo(path.join(t.media, `fractal-${i}.mp4`), { seconds: 2, fps: '10', width: 48, height: 32, pattern: 'mandelbrot', title: `f${i}` });
  }
  await importAndWait(t.core, [t.media]);
}, 120_000);
afterAll(async () => {
  await t.dispose();
});

it('a reviewed run retrains as the next round with the same settings, and the rounds count the labels spent', async () => {
  const clips = (await t.core.call('clips:query', { limit: 100 })).items;
  const videos = new Map((await t.core.call('videos:list', {})).map((v) => [v.id, v.name]));
  const clipOf = (name: string) => clips.find((c) => videos.get(c.videoId) === name)?.id ?? NaN;
  const card = await t.core.call('classes:create', { name: 'card' });
  const fractal = await t.core.call('classes:create', { name: 'fractal' });
  for (const i of [0, 1]) {
    await t.core.call('labels:set', { clipId: clipOf(`card-${i}.mp4`), classId: card.id });
    await t.core.call('labels:set', { clipId: clipOf(`fractal-${i}.mp4`), classId: fractal.id });
  }

  const base = await t.core.call('train:start', { settings: tiny, name: 'base' });
  await waitForJobs(t.core);
  expect(await t.core.call('runs:get', { id: base.id })).toMatchObject({ status: 'succeeded', predictions: 6 });

  // MC passes at prediction time give BALD its mutual information.
  const queue = await t.core.call('review:queue', { runId: base.id, strategy: 'bald' });
  expect(queue).toMatchObject({ total: 2, humanLabelled: 4 });
  for (const item of queue.items) {
    expect(item.mutualInfo).not.toBeNull();
    expect(item.mutualInfo).toBeGreaterThanOrEqual(0);
    expect(item.score).toBe(item.mutualInfo);
  }
  await t.core.call('review:apply', { runId: base.id, clipId: clipOf('card-2.mp4'), action: 'correct', classId: card.id });
  await t.core.call('review:apply', { runId: base.id, clipId: clipOf('fractal-2.mp4'), action: 'correct', classId: fractal.id });

  const round2 = await t.core.call('review:retrain', { runId: base.id });
  expect(round2.name).toBe('base · round 2');
  expect(round2.settings).toEqual(base.settings);
  await waitForJobs(t.core);
  expect((await t.core.call('runs:get', { id: round2.id })).status).toBe('succeeded');

  const round3 = await t.core.call('review:retrain', { runId: round2.id });
  expect(round3.name).toBe('base · round 3');
  await waitForJobs(t.core);
  const named = await t.core.call('review:retrain', { runId: round2.id, name: 'my try' });
  expect(named.name).toBe('my try');
  await waitForJobs(t.core);

  const fresh = await t.core.call('review:retrain', { runId: round2.id, warmStart: false });
  await waitForJobs(t.core);

  // Each round starts from the weights of the run it retrains, unless asked for fresh ones.
  const rounds = await t.core.call('runs:rounds', {});
  expect(rounds.map((r) => [r.runId, r.parentRunId, r.warmStartRunId, r.labels, r.reviewLabels])).toEqual([
    [base.id, null, null, 4, 0],
    [round2.id, base.id, base.id, 6, 2],
    [round3.id, round2.id, round2.id, 6, 2],
    [named.id, round2.id, round2.id, 6, 2],
    [fresh.id, round2.id, null, 6, 2],
  ]);
  for (const round of rounds) {
    expect(round.status).toBe('succeeded');
    expect(round.validationAccuracy).not.toBeNull();
  }

  // A new class changes the class layer: the parent's weights no longer fit.
  const other = await t.core.call('classes:create', { name: 'other' });
  await t.core.call('labels:set', { clipId: clipOf('card-2.mp4'), classId: other.id });
  await expect(t.core.call('review:retrain', { runId: round3.id, warmStart: true })).rejects.toThrow(
    `Run ${round3.id} learned other classes than there are labelled now, so its weights do not fit.`,
  );
  const refitted = await t.core.call('review:retrain', { runId: round3.id });
  await waitForJobs(t.core);
  const last = (await t.core.call('runs:rounds', {})).at(-1);
  expect(last).toMatchObject({ runId: refitted.id, parentRunId: round3.id, warmStartRunId: null, status: 'succeeded' });
}, 180_000);
