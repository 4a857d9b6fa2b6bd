/**
 * The integration test: train briefly on generated normal footage, then score a clip of the
 * same scene with a reversed stretch injected, through the app's own path (core methods, jobs, the
 * worker thread, SQLite, the API's float32 curves). The scene is boxes driving steadily to the right:
 * every moving region shows the arrow of time, so the arrow-of-time head learns it in a few epochs —
 * unlike background patches, where the first reference never learnt it. Tubes keep the middle
 * frame's box (followObjects: false): a tube that follows a steadily driving box keeps it centred, so
 * only the background's drift shows the direction, which six epochs on this scene do not learn.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importAndWait, openTestProject, videoAt, waitForJobs, type TestProject } from '../../../../tests/fixtures/core-harness.js';
import { ensureCliBuilt } from '../../../../tests/fixtures/run-cli.js';
import { decodeFloat32 } from '../../../shared/anomaly.js';
import { makeStreetVideo } from './test-footage.fixture.js';

const REVERSED = { start: 70, end: 130 };
let t: TestProject;

beforeAll(async () => {
  ensureCliBuilt(); // the worker thread runs the compiled engine
  t = await openTestProject();
  await makeStreetVideo(path.join(t.media, 'normal.mp4'), { frames: 300 });
  // Later in the same street, so no frame repeats the training footage.
  await makeStreetVideo(path.join(t.media, 'reversed.mp4'), { frames: 200, firstFrame: 400, reversed: REVERSED });
  await importAndWait(t.core, [t.media]);
}, 60_000);
afterAll(async () => {
  await t.dispose();
});

/** Mean of the frames inside the reversed stretch, and of the others. */
function means(curve: Float32Array): { reversed: number; normal: number } {
  const sums = { reversed: 0, normal: 0 };
  const counts = { reversed: 0, normal: 0 };
  curve.forEach((value, frame) => {
    const part = frame >= REVERSED.start && frame < REVERSED.end ? 'reversed' : 'normal';
    sums[part] += value;
    counts[part]++;
  });
  return { reversed: sums.reversed / counts.reversed, normal: sums.normal / counts.normal };
}

it('a model trained briefly on normal footage scores an injected reversal above the normal parts', async () => {
  const normal = await videoAt(t.core, path.join(t.media, 'normal.mp4'));
  const clip = await videoAt(t.core, path.join(t.media, 'reversed.mp4'));
  const run = await t.core.call('anomaly:train', {
    settings: { epochs: 6, batchSize: 8, learningRate: 3e-3, seed: 1, size: 16, width: 4, depth: 2, maxTubes: 96, sampleFps: 0, windowStride: 2, longSide: 80, followObjects: false },
    normalVideoIds: [normal.id],
  });
  await waitForJobs(t.core);
  const trained = await t.core.call('anomaly:run', { id: run.id });
  expect(trained).toMatchObject({ status: 'succeeded', hasModel: true, epochsDone: 6, backend: 'wasm' });
  // The regions are the moving boxes, not the background grid.
  expect(trained.tubes?.motionWindows).toBeGreaterThan(0);
  expect(trained.tubes?.gridWindows).toBe(0);

  const job = await t.core.call('anomaly:score', { runId: run.id, videoIds: [clip.id], options: { stride: 7, sigma: 5 } });
  await waitForJobs(t.core);
  expect((await t.core.call('jobs:list', {})).find((j) => j.id === job.id)?.state).toBe('succeeded');
  const scores = await t.core.call('anomaly:scores', { runId: run.id, videoId: clip.id });
  expect(scores.frameCount).toBe(200);

  const smoothed = means(decodeFloat32(scores.scores));
  expect(smoothed.reversed).toBeGreaterThan(smoothed.normal);
  // And it is the arrow-of-time head that flags it.
  const arrow = means(decodeFloat32(scores.perTask['p-backward']));
  expect(arrow.reversed).toBeGreaterThan(arrow.normal);
}, 120_000);
