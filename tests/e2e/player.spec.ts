/// <reference lib="dom" />
import path from 'node:path';
import { MIXED } from './fixtures/footage.js';
import { expect, test } from './fixtures/test.js';
import type { VsslApp } from './pages/vssl-app.js';

async function importMixed(app: VsslApp, workDir: string, mixedFolder: string): Promise<void> {
  await app.start.createProject(path.join(workDir, 'project'));
  await app.library.openImport();
  await app.importDialog.browseTo(mixedFolder);
  await app.page.getByRole('button', { name: 'Add this folder' }).click();
  await app.importDialog.start();
  // Probing five files of mixed formats while another test trains can take a while on two cores.
  test.slow();
  await expect(app.library.rows()).toHaveCount(5, { timeout: 90_000 });
}

test('plays a video and seeks with HTTP Range', async ({ app, workDir, mixedFolder }) => {
  await importMixed(app, workDir, mixedFolder);
  await expect(app.library.cell(MIXED.h264.file, 'status')).toHaveText('Ready');
  await app.library.openVideo(MIXED.h264.file);

  await test.step('the player shows the metadata', async () => {
    await expect(app.player.fact('Frames')).toHaveText('100');
    await expect(app.player.fact('Frame rate')).toHaveText('25 fps');
    await expect(app.player.fact('Codec')).toHaveText('h264');
    await expect(app.player.fact('Start time')).toHaveText('0 s');
    await expect(app.player.fact('Path')).toHaveText(path.join(mixedFolder, MIXED.h264.file));
  });

  await test.step('press play: currentTime advances', async () => {
    await app.player.waitForMetadata();
    await app.player.video().click();
    await expect.poll(() => app.player.currentTime(), { timeout: 15_000 }).toBeGreaterThan(0.5);
  });

  await test.step('seek: `seeked` fires and currentTime lands on the target', async () => {
    await app.player.video().evaluate((v: HTMLVideoElement) => v.pause());
    const landed = await app.player.seek(3.2);
    expect(landed).toBeCloseTo(3.2, 1);
    const back = await app.player.seek(0.4);
    expect(back).toBeCloseTo(0.4, 1);
  });

  expect(app.pageErrors).toEqual([]);
});

test('plays the VP9 webm and the AVI through its playable copy', async ({ app, workDir, mixedFolder }) => {
  await importMixed(app, workDir, mixedFolder);

  await test.step('VP9 webm plays directly', async () => {
    await app.library.openVideo(MIXED.vp9.file);
    await app.player.waitForMetadata();
    const landed = await app.player.seek(1.5);
    expect(landed).toBeCloseTo(1.5, 1);
  });

  await test.step('the AVI plays once its copy is made, with the original frame facts', async () => {
    await expect(app.library.cell(MIXED.avi.file, 'status')).toHaveText('Ready', { timeout: 30_000 });
    await app.library.openVideo(MIXED.avi.file);
    await expect(app.player.fact('Codec')).toHaveText('mpeg4');
    await expect(app.player.fact('Frames')).toHaveText('50');
    await expect(app.player.fact('Playback')).toHaveText('Playable copy (ready)');
    await app.player.waitForMetadata();
    const landed = await app.player.seek(1.0);
    expect(landed).toBeCloseTo(1.0, 1);
  });

  expect(app.pageErrors).toEqual([]);
});
