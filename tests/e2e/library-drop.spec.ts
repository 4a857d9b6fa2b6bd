/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { MIXED } from './fixtures/footage.js';
import { expect, test } from './fixtures/test.js';

/** Drops files on the Library as a file manager would: dragenter, dragover and drop carrying real files. */
async function dropFiles(page: Page, files: { name: string; bytes: Buffer }[]): Promise<void> {
  const zone = page.getByTestId('library-drop-zone');
  const transfer = await page.evaluateHandle((list) => {
    const data = new DataTransfer();
    for (const { name, base64 } of list) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], name, { type: 'application/octet-stream' }));
    }
    return data;
  }, files.map((f) => ({ name: f.name, base64: f.bytes.toString('base64') })));
  await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await expect(page.getByText('Drop videos or folders to import them')).toBeVisible();
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

test('videos dropped on the Library in a browser are uploaded into the project and imported; other files are left out', async ({
  app,
  workDir,
  mixedFolder,
}) => {
  const project = path.join(workDir, 'project');
  await app.start.createProject(project);
  const video = fs.readFileSync(path.join(mixedFolder, MIXED.h264.file));

  await dropFiles(app.page, [
    { name: MIXED.h264.file, bytes: video },
    { name: 'notes.txt', bytes: Buffer.from('not a video') },
  ]);

  await test.step('the video uploads, imports and plays; the text file is named as left out', async () => {
    const status = app.page.getByTestId('drop-import-status');
    await expect(status).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
    await expect(status.getByRole('list', { name: 'Left out' })).toContainText('notes.txt: not a video file');
    await expect(app.library.rows()).toHaveCount(1, { timeout: 30_000 });
    await expect(app.library.cell(MIXED.h264.file, 'status')).toHaveText('Ready', { timeout: 30_000 });
    await expect(app.library.cell(MIXED.h264.file, 'duration')).toHaveText(MIXED.h264.duration);
    const kept = path.join(project, 'uploaded-videos', MIXED.h264.file);
    expect(fs.readFileSync(kept).equals(video)).toBe(true);
  });

  await test.step('a drop with nothing to import says so and uploads nothing', async () => {
    await app.page.getByTestId('drop-import-status').getByRole('button', { name: 'Dismiss' }).click();
    await dropFiles(app.page, [{ name: 'readme.md', bytes: Buffer.from('# hi') }]);
    await expect(app.page.getByTestId('drop-import-status').getByRole('alert')).toHaveText('Nothing to import: drop video files, or folders that hold some.');
    expect(fs.readdirSync(path.join(project, 'uploaded-videos'))).toEqual([MIXED.h264.file]);
  });
  expect(app.pageErrors).toEqual([]);
});
