import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { makeVideos } from '../../../tests/fixtures/make-videos.js';

let t: TestProject;

beforeEach(async () => {
  t = await openTestProject();
});

afterEach(async () => {
  await t.dispose();
});

it('stops a cancelled import between files and leaves only complete rows and cache files', async () => {
  const total = 24;
  await makeVideos(t.media, total, { seconds: 1 });
  const project = t;
  let cancelRequested = false;
  t.core.events.on('job:updated', (job) => {
    const started = /^Importing (\d+) of/.exec(job.message);
    if (job.kind === 'import' && started && Number(started[1]) >= 4 && !cancelRequested) {
      cancelRequested = true;
      void project.core.call('jobs:cancel', { id: job.id });
    }
  });
  const { jobId } = await t.core.call('videos:import', { paths: [t.media], recursive: true });
  await t.session().jobs.idle();

  const job = t.session().jobs.get(jobId);
  expect(cancelRequested).toBe(true);
  expect(job.state).toBe('cancelled');
  expect(job.result).toMatchObject({ kind: 'import', scanned: total, failed: [] });

  const videos = await t.core.call('videos:list', {});
  expect(videos.length).toBeGreaterThanOrEqual(2);
  expect(videos.length).toBeLessThan(total);
  if (job.result?.kind === 'import') expect(job.result.imported).toBe(videos.length);
  for (const video of videos) {
    expect(video).toMatchObject({ status: 'ready', error: null, posterReady: true, frameCount: 25, width: 160 });
    expect(fs.existsSync(t.core.mediaFile(video.id, 'poster').path)).toBe(true);
  }
  // Exactly one poster per committed row: nothing half-written, nothing orphaned.
  const posters = fs.readdirSync(path.join(t.projectDir, 'cache', 'posters')).sort();
  const referenced = videos.map((v) => path.basename(t.session().videos.get(v.id)!.poster_path!)).sort();
  expect(posters).toEqual(referenced);
});
