import fs from 'node:fs';
import path from 'node:path';
import type { ClassDto } from '../../src-main/shared/dto.js';
import { callApi, expect, listClips, test } from './fixtures/label-project.js';

test('export the labelled clips as a dataset from the Models view', async ({ app, vssl, labelProject, workDir }) => {
  const page = app.page;
  const parent = path.join(workDir, 'exports');
  fs.mkdirSync(parent);
  const out = path.join(parent, 'walk-run');

  await test.step('label four clips of two classes', async () => {
    const walk = await callApi<ClassDto>(page.request, vssl, 'classes:create', { name: 'walk' });
    const run = await callApi<ClassDto>(page.request, vssl, 'classes:create', { name: 'run' });
    const clips = await listClips(page.request, vssl, labelProject.videoId);
    for (const [i, clip] of clips.slice(0, 4).entries()) {
      await callApi(page.request, vssl, 'labels:set', { clipId: clip.id, classId: i % 2 === 0 ? walk.id : run.id });
    }
  });

  await test.step('the dialog takes a parent folder and a name, and shows the job to the end', async () => {
    await app.goTo('Models');
    await page.getByTestId('export-dataset-button').click();
    const dialog = page.getByRole('dialog', { name: 'Export dataset' });
    await dialog.getByRole('textbox', { name: 'Parent folder' }).fill(parent);
    await dialog.getByRole('textbox', { name: 'Folder name' }).fill('walk-run');
    await expect(dialog.getByText(out, { exact: true })).toBeVisible();
    await dialog.getByRole('radio', { name: /Kinetics folders/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const job = dialog.getByTestId('dataset-export-job');
    await expect(job).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
    await expect(job).toContainText('4 clips (4 train, 0 validation) · 2 classes · 0 skipped');
    await dialog.getByText('Close', { exact: true }).click(); // the footer's button, not the ✕
    await expect(dialog).toBeHidden();
  });

  await test.step('the folder holds the clips in class folders, the lists and the config', () => {
    expect(fs.readFileSync(path.join(out, 'classes.txt'), 'utf8')).toBe('walk\nrun\n');
    expect(fs.readdirSync(path.join(out, 'train')).sort()).toEqual(['run', 'walk']);
    expect(fs.readdirSync(path.join(out, 'train', 'walk'))).toHaveLength(2);
    expect(fs.readFileSync(path.join(out, 'train_list.txt'), 'utf8').trim().split('\n')).toHaveLength(4);
    expect(fs.existsSync(path.join(out, 'configs', 'vssl_r2plus1d.py'))).toBe(true);
  });

  await test.step('a folder that holds files is refused with the reason', async () => {
    await page.getByTestId('export-dataset-button').click();
    const dialog = page.getByRole('dialog', { name: 'Export dataset' });
    await dialog.getByRole('textbox', { name: 'Parent folder' }).fill(parent);
    await dialog.getByRole('textbox', { name: 'Folder name' }).fill('walk-run');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog.getByTestId('dataset-export-error')).toContainText(`${out} is not empty`);
  });
});
