import fs from 'node:fs';
import path from 'node:path';
import type { ClassDto, ClipDto } from '../../src-main/shared/dto.js';
import { LABEL_VIDEO, callApi, expect, listClips, test } from './fixtures/label-project.js';
import { LabelPage } from './pages/label-page.js';
import { LabelTransferDialogs } from './pages/label-transfer-dialogs.js';

const FRAMES_PER_SEC = LABEL_VIDEO.fps;

function labelled(clips: ClipDto[], classes: ClassDto[]) {
  const names = new Map(classes.map((c) => [c.id, c.name]));
  return clips
    .filter((c) => c.classId !== null)
    .map((c) => ({ id: c.id, origin: c.origin, startFrame: c.startFrame, endFrame: c.endFrame, label: names.get(c.classId ?? 0) }))
    .sort((a, b) => a.startFrame - b.startFrame);
}

test('import a CSV with a preview of its bad row, export it back, re-cut the clips in Settings', async ({
  app,
  vssl,
  labelProject,
  labelFootage,
  workDir,
}) => {
  const page = app.page;
  const dialogs = new LabelTransferDialogs(page);
  const labelView = new LabelPage(page);
  const video = path.join(labelFootage, LABEL_VIDEO.file);
  const labelsFolder = path.join(workDir, 'labels');
  fs.mkdirSync(labelsFolder);
  fs.writeFileSync(
    path.join(labelsFolder, 'labels.csv'),
    [
      'path,start,end,label',
      `${video},0,2,walk`, // the first automatic clip
      `${video},2,4,run`, // the second
      `${video},10.4,12.4,walk`, // no clip there: a new segment
      `${video},8,6,walk`, // line 5: ends before it starts
      '',
    ].join('\n'),
  );
  const classes = () => callApi<ClassDto[]>(page.request, vssl, 'classes:list', {});
  const clips = () => listClips(page.request, vssl, labelProject.videoId);
  const expected = [
    { origin: 'auto', startFrame: 0, endFrame: 2 * FRAMES_PER_SEC, label: 'walk' },
    { origin: 'auto', startFrame: 2 * FRAMES_PER_SEC, endFrame: 4 * FRAMES_PER_SEC, label: 'run' },
    { origin: 'user', startFrame: 10.4 * FRAMES_PER_SEC, endFrame: 12.4 * FRAMES_PER_SEC, label: 'walk' },
  ];

  await app.goTo('Label');
  await labelView.waitForVideo();

  await test.step('the preview lists the bad row and writes nothing', async () => {
    await dialogs.openImport();
    await dialogs.chooseLabelFile(labelsFolder, 'labels.csv');
    const dialog = dialogs.importDialog();
    await expect(dialog.getByRole('combobox', { name: 'Format' })).toHaveValue('csv');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.getByRole('region', { name: 'Import preview' });
    await expect(preview.getByTestId('import-summary')).toHaveText('Would import 3 rows: 3 clips labelled, 1 new segment.');
    await expect(preview.getByTestId('import-new-classes')).toContainText('walk, run');
    const skipped = preview.getByRole('list', { name: 'Skipped rows' }).getByRole('listitem');
    await expect(skipped).toHaveCount(1);
    await expect(skipped).toHaveText('line 5 end ≤ start (8 s – 6 s)');
    expect(labelled(await clips(), await classes())).toEqual([]);
  });

  await test.step('changing an option asks for a new preview', async () => {
    const dialog = dialogs.importDialog();
    await dialog.getByRole('checkbox', { name: /Don't create new classes/ }).check();
    await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.getByRole('list', { name: 'Skipped rows' }).getByRole('listitem')).toHaveCount(4);
    await dialog.getByRole('checkbox', { name: /Don't create new classes/ }).uncheck();
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.getByRole('list', { name: 'Skipped rows' }).getByRole('listitem')).toHaveCount(1);
  });

  await test.step('Import applies every usable row; the Label view shows the new classes', async () => {
    const dialog = dialogs.importDialog();
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const result = dialog.getByRole('region', { name: 'Import result' });
    await expect(result.getByTestId('import-summary')).toHaveText('Imported 3 rows: 3 clips labelled, 1 new segment.');
    await expect(result.getByRole('list', { name: 'Skipped rows' }).getByRole('listitem')).toHaveCount(1);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(dialog).toBeHidden();
    await expect(labelView.classRow('walk')).toBeVisible();
    await expect(labelView.classRow('run')).toBeVisible();
    expect(labelled(await clips(), await classes()).map(({ id: _id, ...rest }) => rest)).toEqual(expected);
  });

  await test.step('export to CSV writes the same labels back', async () => {
    await dialogs.openExport();
    const dialog = dialogs.exportDialog();
    // Web mode offers a download too (web-files.spec.ts); this one writes on the server.
    await dialog.getByRole('radio', { name: 'A folder on the server' }).check();
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(workDir);
    await dialog.getByRole('textbox', { name: 'File name' }).fill('exported.csv');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const target = path.join(workDir, 'exported.csv');
    await expect(dialog.getByTestId('export-summary')).toHaveText(`Wrote 3 rows to ${target}`);
    expect(fs.readFileSync(target, 'utf8')).toBe(
      ['path,start,end,label', `${video},0,2,walk`, `${video},2,4,run`, `${video},10.4,12.4,walk`, ''].join('\n'),
    );
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(dialog).toBeHidden();
  });

  await test.step('Settings re-cuts every video into 1 s clips and keeps the labelled ones', async () => {
    const before = labelled(await clips(), await classes());
    await dialogs.openSettings();
    const dialog = dialogs.settingsDialog();
    const length = dialog.getByRole('textbox', { name: 'Clip length (s)' });
    const stride = dialog.getByRole('textbox', { name: 'Stride (s)' });
    const apply = dialog.getByRole('button', { name: 'Apply and re-cut' });
    await expect(length).toHaveValue('2');
    await expect(stride).toHaveValue('2');
    await length.fill('0');
    await expect(dialog.getByRole('alert')).toHaveText('The clip length must be above 0 seconds.');
    await expect(apply).toBeDisabled();
    await length.fill('1');
    await stride.fill('1');
    await apply.click();
    await expect(dialog.getByRole('status')).toHaveText('Every video is now cut into 1 s clips, one every 1 s.');

    const after = await clips();
    expect(labelled(after, await classes())).toEqual(before);
    const unlabelledAuto = after.filter((c) => c.origin === 'auto' && c.classId === null);
    expect(unlabelledAuto.length).toBeGreaterThanOrEqual(LABEL_VIDEO.seconds - 6);
    for (const clip of unlabelledAuto) expect(clip.endFrame - clip.startFrame).toBe(FRAMES_PER_SEC);
    expect(await callApi(page.request, vssl, 'segmentation:get', {})).toEqual({ windowSec: 1, strideSec: 1 });
  });
  expect(app.pageErrors).toEqual([]);
});
