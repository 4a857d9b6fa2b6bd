import fs from 'node:fs';
import path from 'node:path';
import type { ClassDto, ClipDto } from '../../src-main/shared/dto.js';
import { LABEL_VIDEO, callApi, expect, listClips, test } from './fixtures/label-project.js';
import { startPrefixProxy, type PrefixProxy } from './fixtures/prefix-proxy.js';
import { serveForTest } from './fixtures/vssl-server.js';
import { LabelTransferDialogs } from './pages/label-transfer-dialogs.js';
import type { Page } from '@playwright/test';

/**
 * Web mode from another computer: the browser cannot reach the server's paths, so label files
 * go up as uploads and exports come back as real browser downloads.
 */
function labelsCsv(video: string): string {
  return ['path,start,end,label', `${video},0,2,walk`, `${video},2,4,run`, ''].join('\n');
}

async function uploadAndImport(page: Page, csv: string): Promise<void> {
  const dialogs = new LabelTransferDialogs(page);
  await dialogs.openImport();
  const dialog = dialogs.importDialog();
  await dialog.getByLabel('Upload from this computer').setInputFiles({ name: 'from-laptop.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(dialog.getByTestId('upload-status')).toHaveText(`Uploaded from-laptop.csv (${Buffer.byteLength(csv)} B)`);
  await expect(dialog.getByRole('combobox', { name: 'Format' })).toHaveValue('csv');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByTestId('import-summary')).toHaveText('Would import 2 rows: 2 clips labelled, 0 new segments.');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog.getByTestId('import-summary')).toContainText('Imported 2 rows');
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(dialog).toBeHidden();
}

async function exportAndDownload(page: Page): Promise<{ name: string; text: string }> {
  const dialogs = new LabelTransferDialogs(page);
  await dialogs.openExport();
  const dialog = dialogs.exportDialog();
  await expect(dialog.getByRole('radio', { name: 'This computer (download)' })).toBeChecked();
  await dialog.getByRole('textbox', { name: 'File name' }).fill('walk-run.csv');
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export and download' }).click();
  const download = await downloading;
  const file = await download.path();
  await expect(dialog.getByTestId('export-summary')).toContainText('Exported 2 rows');
  await expect(dialog.getByRole('list', { name: 'Downloads' }).getByRole('link', { name: 'walk-run.csv' })).toBeVisible();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

function labelled(clips: ClipDto[], classes: ClassDto[]): string[] {
  const names = new Map(classes.map((c) => [c.id, c.name]));
  return clips.filter((c) => c.classId !== null).map((c) => `${c.startFrame}-${c.endFrame} ${names.get(c.classId ?? 0)}`);
}

test('upload a label file from the browser, then export the labels as a real download', async ({ app, vssl, labelProject, labelFootage }) => {
  const page = app.page;
  const video = path.join(labelFootage, LABEL_VIDEO.file);
  await app.goTo('Label');

  await test.step('the uploaded file is imported into the project', async () => {
    await uploadAndImport(page, labelsCsv(video));
    const classes = await callApi<ClassDto[]>(page.request, vssl, 'classes:list', {});
    expect(labelled(await listClips(page.request, vssl, labelProject.videoId), classes)).toEqual(['0-50 walk', '50-100 run']);
  });

  await test.step('the export arrives as a browser download with the labels in it', async () => {
    const { name, text } = await exportAndDownload(page);
    expect(name).toBe('walk-run.csv');
    expect(text.trim().split('\n')).toEqual(['path,start,end,label', `${video},0,2,walk`, `${video},2,4,run`]);
  });
  expect(app.pageErrors).toEqual([]);
});

const behindProxy = test.extend<{ prefixProxy: PrefixProxy }>({
  // eslint-disable-next-line no-empty-pattern
  prefixProxy: async ({}, use) => {
    const proxy = await startPrefixProxy('/vssl');
    await use(proxy);
    await proxy.close();
  },
  vssl: async ({ labelProject, prefixProxy: proxy }, use, testInfo) => {
    await serveForTest(
      {
        userDataDir: labelProject.userDataDir,
        projectDir: labelProject.dir,
        extraArgs: ['--public-url', `${proxy.origin}/vssl/`],
      },
      async (server) => {
        proxy.forwardTo(server.port);
        await use(server);
      },
      testInfo,
    );
  },
});

behindProxy('behind a reverse proxy under /vssl/ the whole app works: page, API, media, events, uploads, downloads', async ({
  app,
  vssl,
  prefixProxy: proxy,
  labelFootage,
}) => {
  const page = app.page;
  const video = path.join(labelFootage, LABEL_VIDEO.file);
  expect(vssl.url).toBe(`${proxy.origin}/vssl/?token=${vssl.token}`);
  await expect(page).toHaveURL(`${proxy.origin}/vssl/`);
  await expect(app.projectName()).toHaveText('Label test');
  // The event socket went through the proxy too: no "Connecting…" banner.
  await expect(page.getByRole('status').filter({ hasText: /Connecting|reconnecting/ })).toHaveCount(0);

  await app.goTo('Label');
  await test.step('the video plays from media/ under the prefix', async () => {
    const player = page.locator('video').first();
    await expect(player).toHaveJSProperty('readyState', 4, { timeout: 20_000 });
    expect(await player.evaluate((v: HTMLVideoElement) => v.currentSrc)).toBe(`${proxy.origin}/vssl/media/1/video`);
  });
  await uploadAndImport(page, labelsCsv(video));
  const { text } = await exportAndDownload(page);
  expect(text.trim().split('\n')).toEqual(['path,start,end,label', `${video},0,2,walk`, `${video},2,4,run`]);
  expect(app.pageErrors).toEqual([]);
});
