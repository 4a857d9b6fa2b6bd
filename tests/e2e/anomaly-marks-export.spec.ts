/// <reference lib="dom" />
/** The Anomaly view's "Export marks…": the anomalous intervals as csv, or every mark as json; downloaded or on the server. */
import fs from 'node:fs';
import path from 'node:path';
import type { VideoDto } from '../../src-main/shared/dto.js';
import { callApi, expect, test } from './fixtures/label-project.js';

test('export the anomaly marks as csv ground truth and as json of every mark', async ({ app, vssl, labelProject, workDir }) => {
  const page = app.page;
  const dialog = page.getByRole('dialog', { name: 'Export anomaly marks' });
  const videoId = labelProject.videoId;
  const [video] = await callApi<VideoDto[]>(page.request, vssl, 'videos:list', {});
  // LABEL_VIDEO is 25 fps: frames 25–49 are 1–2 s.
  await callApi(page.request, vssl, 'anomaly:marks:add', { videoId, startFrame: 25, endFrame: 50, kind: 'anomaly' });
  await callApi(page.request, vssl, 'anomaly:marks:add', { videoId, startFrame: 100, endFrame: 200, kind: 'normal' });

  await app.goTo('Anomaly');
  const folder = path.join(workDir, 'marks');

  await test.step('csv, downloaded by the browser: path,start,end of the anomalous interval, in seconds', async () => {
    await page.getByRole('button', { name: 'Export marks…' }).click();
    await expect(dialog.getByRole('combobox', { name: 'Format' })).toHaveValue('csv');
    await expect(dialog.getByRole('radio', { name: 'This computer (download)' })).toBeChecked();
    const downloading = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('anomaly-marks.csv');
    expect(fs.readFileSync(await download.path(), 'utf8')).toBe(`path,start,end\n${video?.path ?? ''},1,2\n`);
    await expect(dialog.getByTestId('export-summary')).toHaveText('Wrote 1 mark: your browser saves the file.');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
  });

  await test.step('json, into a folder on the server: both marks with kind, frames and seconds', async () => {
    await page.getByRole('button', { name: 'Export marks…' }).click();
    await dialog.getByRole('radio', { name: 'A folder on the server' }).check();
    await dialog.getByRole('combobox', { name: 'Format' }).selectOption('json');
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(folder);
    await dialog.getByRole('button', { name: 'Export' }).click();
    const file = path.join(folder, 'anomaly-marks.json');
    await expect(dialog.getByTestId('export-summary')).toHaveText(`Wrote 2 marks to ${file}`);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { marks: unknown[] };
    expect(written.marks).toEqual([
      expect.objectContaining({ path: video?.path, kind: 'anomaly', startFrame: 25, endFrame: 50, start: 1, end: 2 }),
      expect.objectContaining({ path: video?.path, kind: 'normal', startFrame: 100, endFrame: 200, start: 4, end: 8 }),
    ]);
  });

  await test.step('a relative folder is refused before anything is written', async () => {
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await page.getByRole('button', { name: 'Export marks…' }).click();
    await dialog.getByRole('radio', { name: 'A folder on the server' }).check();
    await dialog.getByRole('textbox', { name: 'Folder' }).fill('relative/folder');
    await expect(dialog.getByRole('alert')).toHaveText('Give the folder as a full path (or Browse…).');
    await expect(dialog.getByRole('button', { name: 'Export' })).toBeDisabled();
  });

  await test.step('a folder that cannot be written says why', async () => {
    const blocker = path.join(folder, 'a-file');
    fs.writeFileSync(blocker, '');
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(blocker);
    await dialog.getByRole('button', { name: 'Export' }).click();
    await expect(dialog.getByTestId('export-error')).not.toBeEmpty();
  });

  expect(app.pageErrors).toEqual([]);
});
