/**
 * The Preferences dialog's other settings end to end: what is typed is checked and saved to the app (not the
 * page), and the recent projects list can lose entries without touching the folders.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Prefs } from '../../src-main/shared/prefs.js';
import type { RecentProject } from '../../src-main/shared/dto.js';
import { callApi, expect, test } from './fixtures/label-project.js';
import { PreferencesDialog } from './pages/preferences-dialog.js';

test('backend, CPU threads and cache location are checked, saved and read back', async ({ app, page, vssl, labelProject }) => {
  const request = page.request;
  const prefs = new PreferencesDialog(page);
  await prefs.open();
  const dialog = prefs.dialog();

  await test.step('a backend applies when picked', async () => {
    await dialog.getByLabel('Backend').selectOption('wasm');
    await expect.poll(async () => (await callApi<Prefs>(request, vssl, 'prefs:get', {})).backend).toBe('wasm');
  });

  await test.step('CPU threads: a bad value is explained and not saved; a good one is', async () => {
    const threads = dialog.getByLabel('CPU threads');
    await threads.fill('99');
    await threads.press('Tab');
    await expect(dialog.getByRole('alert')).toHaveText('At most 64 CPU threads.');
    expect((await callApi<Prefs>(request, vssl, 'prefs:get', {})).cpuThreads).toBe(0);
    await threads.fill('3');
    await threads.press('Tab');
    await expect.poll(async () => (await callApi<Prefs>(request, vssl, 'prefs:get', {})).cpuThreads).toBe(3);
  });

  await test.step('cache location: relative is refused, absolute is saved', async () => {
    const folder = dialog.getByLabel('Folder');
    await folder.fill('caches');
    await expect(dialog.getByRole('alert')).toContainText('absolute path');
    await expect(dialog.getByRole('button', { name: 'Apply' })).toBeDisabled();
    const caches = path.join(path.dirname(labelProject.dir), 'caches');
    await folder.fill(caches);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(async () => (await callApi<Prefs>(request, vssl, 'prefs:get', {})).cacheLocation).toBe(caches);
  });

  await test.step('the saved values are what the dialog shows after a reload', async () => {
    await prefs.close();
    await page.reload();
    await prefs.open();
    await expect(dialog.getByLabel('Backend')).toHaveValue('wasm');
    await expect(dialog.getByLabel('CPU threads')).toHaveValue('3');
  });

  await test.step('a recent project is removed from the list, its folder left as it is', async () => {
    const recent = dialog.getByRole('region', { name: 'Recent projects' });
    const remove = recent.getByRole('button', { name: /^Remove .* from the list$/ });
    await expect(remove).toHaveCount(1);
    await remove.click();
    await expect(recent.getByText('The list is empty.')).toBeVisible();
    expect(await callApi<RecentProject[]>(request, vssl, 'project:recent', {})).toEqual([]);
    expect(fs.existsSync(path.join(labelProject.dir, 'project.vssl'))).toBe(true);
  });
  expect(app.pageErrors).toEqual([]);
});
