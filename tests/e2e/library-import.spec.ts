/// <reference lib="dom" />
import path from 'node:path';
import { MIXED } from './fixtures/footage.js';
import { expect, test } from './fixtures/test.js';

test('imports a folder through the folder browser and shows thumbnails, metadata and failures', async ({
  app,
  workDir,
  mixedFolder,
}) => {
  await app.start.createProject(path.join(workDir, 'project'));

  await app.library.openImport();
  await app.importDialog.browseTo(path.dirname(mixedFolder));
  await app.importDialog.select(path.basename(mixedFolder));
  await expect(app.importDialog.chosen()).toHaveCount(1);
  await app.importDialog.start();

  await test.step('every file gets a row; the import job finishes', async () => {
    await expect(app.library.rows()).toHaveCount(5, { timeout: 30_000 });
    await app.tasks.expand();
    await app.tasks.expectState(app.tasks.importJob(), 'Done', 30_000);
  });

  await test.step('metadata of each playable video', async () => {
    for (const video of [MIXED.h264, MIXED.vp9, MIXED.ntsc, MIXED.avi]) {
      await expect(app.library.cell(video.file, 'duration')).toHaveText(video.duration);
      await expect(app.library.cell(video.file, 'fps')).toHaveText(video.fps);
      await expect(app.library.cell(video.file, 'resolution')).toHaveText(video.resolution);
      await expect(app.library.cell(video.file, 'codec')).toHaveText(video.codec);
    }
  });

  await test.step('the AVI gets a playable copy made in the background, then is ready', async () => {
    await expect(app.library.cell(MIXED.avi.file, 'status')).toHaveText('Ready', { timeout: 30_000 });
    for (const video of [MIXED.h264, MIXED.vp9, MIXED.ntsc]) {
      await expect(app.library.cell(video.file, 'status')).toHaveText('Ready');
    }
  });

  await test.step('posters are real decoded images', async () => {
    for (const video of [MIXED.h264, MIXED.vp9, MIXED.ntsc, MIXED.avi]) {
      const poster = app.library.poster(video.file);
      await expect(poster).toBeVisible();
      await expect
        .poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBeGreaterThan(0);
    }
  });

  await test.step('the text file renamed .mp4 failed with its reason shown', async () => {
    await expect(app.library.cell(MIXED.fake.file, 'status')).toHaveText('Failed');
    const reason = app.library.cell(MIXED.fake.file, 'detail');
    await expect(reason).toBeVisible();
    await expect(reason).not.toHaveText(/^(Import failed)?$/);
    await app.library.openVideo(MIXED.fake.file);
    await expect(app.player.message()).toContainText('could not be imported');
    await expect(app.player.video()).toHaveCount(0);
  });

  await test.step('search and status filter narrow the list', async () => {
    await app.library.search('2997');
    await expect(app.library.rows()).toHaveCount(1);
    await expect(app.library.row(MIXED.ntsc.file)).toBeVisible();
    await app.library.search('');
    await app.library.filterStatus('Failed');
    await expect(app.library.rows()).toHaveCount(1);
    await expect(app.library.row(MIXED.fake.file)).toBeVisible();
  });

  await test.step('importing the same folder again adds nothing', async () => {
    await app.library.filterStatus('All');
    await app.library.openImport();
    await app.importDialog.browseTo(mixedFolder);
    await app.page.getByRole('button', { name: 'Add this folder' }).click();
    await app.importDialog.start();
    await expect(app.tasks.importJobs()).toHaveCount(2);
    await app.tasks.expectState(app.tasks.importJob(), 'Done', 30_000);
    await expect(app.library.rows()).toHaveCount(5);
  });

  expect(app.pageErrors).toEqual([]);
});
