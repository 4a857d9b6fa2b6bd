import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importAndWait, openTestProject, waitFor, waitForJobs, type TestProject } from '../../../../../tests/fixtures/core-harness.js';
import { makeVideo } from '../../../../../tests/fixtures/make-videos.js';
import { addFinishedRun, predictionRow, reviewProject } from '../../../../../tests/fixtures/review-project.js';
import type { JobDto } from '../../../../shared/dto.js';
import { gatherDatasetClips } from './dataset-clips.js';
import { partialDir } from './dataset-export.js';

let t: TestProject;

afterEach(async () => {
  await t.dispose();
});

const split = { seed: 0, validationFraction: 0.2 };

describe('gatherDatasetClips', () => {
  it('takes people\'s labels, and a named run\'s accepted pseudo-labels above the confidence; a person\'s label wins', async () => {
    t = await openTestProject();
    const { classes, runClasses, clips } = await reviewProject(t, ['walk', 'run'], 10);
    const [walk, run] = [classes[0]!.id, classes[1]!.id];
    const clip = (i: number) => clips[i]!.id;
    for (const [i, cls] of [[0, walk], [1, walk], [2, run], [3, run]] as const) {
      await t.core.call('labels:set', { clipId: clip(i), classId: cls });
    }
    const runA = addFinishedRun(t, runClasses, [
      predictionRow(clip(4), [0.95, 0.05]),
      predictionRow(clip(5), [0.6, 0.4]),
      predictionRow(clip(6), [0.1, 0.9]),
      predictionRow(clip(7), [0.3, 0.7]),
      predictionRow(clip(8), [0.85, 0.15]),
      predictionRow(clip(9), [0.9, 0.1]),
    ]);
    const runB = addFinishedRun(t, runClasses, [predictionRow(clip(9), [0.9, 0.1])], { name: 'other' });
    await t.core.call('review:apply', { runId: runA, clipId: clip(4), action: 'accept' });
    await t.core.call('review:apply', { runId: runA, clipId: clip(5), action: 'accept' });
    await t.core.call('review:apply', { runId: runA, clipId: clip(6), action: 'accept' });
    await t.core.call('review:apply', { runId: runA, clipId: clip(7), action: 'correct', classId: walk });
    await t.core.call('review:apply', { runId: runA, clipId: clip(8), action: 'reject' });
    await t.core.call('review:apply', { runId: runB, clipId: clip(9), action: 'accept' });
    const db = t.session().project.db;
    const picked = (result: ReturnType<typeof gatherDatasetClips>) =>
      result.clips
        .map((c) => [clips.findIndex((x) => x.id === c.row.clip_id), result.classes[c.classIndex]?.name, c.pseudo] as const)
        .sort((a, b) => a[0] - b[0]);

    expect(picked(gatherDatasetClips(db, split))).toEqual([
      [0, 'walk', false],
      [1, 'walk', false],
      [2, 'run', false],
      [3, 'run', false],
    ]);
    expect(picked(gatherDatasetClips(db, split, { runId: runA, minConfidence: 0.8 }))).toEqual([
      [0, 'walk', false],
      [1, 'walk', false],
      [2, 'run', false],
      [3, 'run', false],
      [4, 'walk', true],
      [6, 'run', true],
      [7, 'walk', true], // a correction: a person chose the class, whatever the prediction's confidence
    ]);
    expect(picked(gatherDatasetClips(db, split, { runId: runA, minConfidence: 0 })).map((p) => p[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    // A person relabels an accepted clip: theirs is the label, and it is no pseudo-label any more.
    await t.core.call('labels:set', { clipId: clip(6), classId: walk });
    const relabelled = picked(gatherDatasetClips(db, split, { runId: runA, minConfidence: 0.8 }));
    expect(relabelled.find((p) => p[0] === 6)).toEqual([6, 'walk', false]);

    expect(() => gatherDatasetClips(db, split, { runId: 999, minConfidence: 0 })).toThrow('There is no training run 999.');
  });
});

describe('dataset:export', () => {
  it('cancels mid-way and leaves the target as it was, with no half-written folder', async () => {
    t = await openTestProject();
    const video = await makeVideo(path.join(t.media, 'long.mp4'), { seconds: 30, gop: 750 });
    await importAndWait(t.core, [video]);
    const cls = await t.core.call('classes:create', { name: 'walk' });
    const other = await t.core.call('classes:create', { name: 'run' });
    const autoClips = (await t.core.call('clips:query', { limit: 1000 })).items;
    expect(autoClips.length).toBeGreaterThan(4);
    for (const [i, c] of autoClips.entries()) await t.core.call('labels:set', { clipId: c.id, classId: i % 2 ? cls.id : other.id });
    const out = path.join(t.tmp, 'dataset');
    fs.mkdirSync(out); // an empty folder is a fine target; after a cancel it is still there, empty

    const { jobId } = await t.core.call('dataset:export', { dir: out, format: 'mmaction' });
    // Cancel once the first clip is cut, while the job is still busy with the others.
    const videos = path.join(partialDir(out), 'videos');
    await waitFor('a first cut clip', () => fs.existsSync(videos) && fs.readdirSync(videos).length >= 2, 60_000);
    const running: JobDto | undefined = (await t.core.call('jobs:list', {})).find((j) => j.id === jobId);
    expect(running?.state).toBe('running');
    await t.core.call('jobs:cancel', { id: jobId });
    await waitForJobs(t.core);

    const job = (await t.core.call('jobs:list', {})).find((j) => j.id === jobId);
    expect(job?.state).toBe('cancelled');
    expect(fs.readdirSync(out)).toEqual([]);
    expect(fs.existsSync(partialDir(out))).toBe(false);
  }, 120_000);
});
