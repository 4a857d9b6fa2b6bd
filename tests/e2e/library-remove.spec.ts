/// <reference lib="dom" />
/**
 * Removing videos from the Library: the confirm dialog says what goes with them (clips, labels per
 * class, predictions) and that the files stay; Undo on the toast brings them back with their
 * labels; the History panel lists the removal and undoes to any point.
 */
import fs from 'node:fs';
import type { ClassDto, HistoryEntryDto, VideoDto } from '../../src-main/shared/dto.js';
import { callApi, expect, LABEL_VIDEO, listClips, test } from './fixtures/label-project.js';

test('remove a labelled video, undo from the toast, then undo to a point in the History panel', async ({
  app,
  vssl,
  labelProject,
}) => {
  const page = app.page;
  const request = page.request;
  const dialog = page.getByRole('dialog');
  const labelCounts = async () =>
    (await callApi<ClassDto[]>(request, vssl, 'classes:list', {})).map((c) => `${c.name}:${c.labelCount}`);

  const videoPath = await test.step('label three clips: two "walk", one "run"', async () => {
    const clips = await listClips(request, vssl, labelProject.videoId);
    const walk = await callApi<ClassDto>(request, vssl, 'classes:create', { name: 'walk' });
    const run = await callApi<ClassDto>(request, vssl, 'classes:create', { name: 'run' });
    for (const [i, cls] of [[0, walk], [1, walk], [2, run]] as const) {
      await callApi(request, vssl, 'labels:set', { clipId: clips[i]?.id, classId: cls.id });
    }
    const [video] = await callApi<VideoDto[]>(request, vssl, 'videos:list', {});
    return video?.path ?? '';
  });

  await test.step('select the video: Remove… says what goes with it', async () => {
    await expect(app.library.rows()).toHaveCount(1);
    await app.library.row(LABEL_VIDEO.file).getByRole('checkbox', { name: `Select ${LABEL_VIDEO.file}` }).check();
    await page.getByRole('button', { name: 'Remove 1 video…' }).click();
    const summary = dialog.getByTestId('remove-videos-summary');
    await expect(summary).toContainText(`Removes 1 video from the project with ${LABEL_VIDEO.clips} clips and 3 labels.`);
    await expect(summary.getByRole('list', { name: 'Labels per class' }).getByRole('listitem')).toHaveText([
      'walk: 2 labels',
      'run: 1 label',
    ]);
    await expect(summary).toContainText('The video files on disk are kept.');
    await dialog.getByRole('button', { name: 'Remove' }).click();
  });

  await test.step('the video is gone from the Library, its file is not', async () => {
    await expect(app.library.rows()).toHaveCount(0);
    expect(fs.existsSync(videoPath)).toBe(true);
    expect(await labelCounts()).toEqual(['walk:0', 'run:0']);
  });

  await test.step('Undo on the toast brings it back with its labels', async () => {
    await page.getByRole('status').filter({ hasText: 'Removed 1 video' }).getByRole('button', { name: 'Undo' }).click();
    await expect(app.library.rows()).toHaveCount(1);
    await expect(app.library.cell(LABEL_VIDEO.file, 'status')).toHaveText('Ready');
    expect(await labelCounts()).toEqual(['walk:2', 'run:1']);
    const clips = await listClips(request, vssl, labelProject.videoId);
    expect(clips.filter((c) => c.classId !== null).map((c) => c.id)).toEqual(clips.slice(0, 3).map((c) => c.id));
  });

  await test.step('History lists every change with who and how many clips; Undo to here undoes back to it', async () => {
    await page.getByRole('button', { name: 'History…' }).click();
    const entries = dialog.getByTestId('history-entry');
    await expect(entries).toHaveCount(6);
    await expect(entries.first()).toHaveAttribute('data-action', 'videos:remove');
    await expect(entries.first()).toHaveAttribute('data-undone', 'true');
    await expect(entries.first()).toContainText(`Remove video ${LABEL_VIDEO.file}`);
    await expect(entries.first().getByRole('cell').nth(3)).toHaveText(String(LABEL_VIDEO.clips));
    // Newest first: the three labels, then the two classes. Undo to the first label.
    const firstLabel = entries.nth(3);
    const [newest] = await callApi<HistoryEntryDto[]>(request, vssl, 'history:list', { limit: 1 });
    expect(newest?.author).toBeTruthy();
    await expect(firstLabel.getByRole('cell').nth(1)).toHaveText(newest?.author ?? '');
    await expect(firstLabel.getByRole('cell').nth(3)).toHaveText('1');
    await firstLabel.getByRole('button', { name: 'Undo to here' }).click();
    await expect(entries.nth(1)).toHaveAttribute('data-undone', 'true');
    await expect(entries.nth(3)).toHaveAttribute('data-undone', 'true');
    await expect(entries.nth(4)).toHaveAttribute('data-undone', 'false');
    await expect(entries.nth(4).getByRole('button', { name: 'Undo to here' })).toBeVisible();
    await expect(firstLabel.getByRole('button', { name: 'Undo to here' })).toHaveCount(0);
    expect(await labelCounts()).toEqual(['walk:0', 'run:0']);
  });

  expect(app.pageErrors).toEqual([]);
});
