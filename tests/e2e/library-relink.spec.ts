/// <reference lib="dom" />
/**
 * Relinking a video that moved: the Library shows it missing with "Relink…"; a different file is
 * refused with the core's reason; the same file at its new place is accepted and the video is
 * ready again, its labels still on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Core } from '../../src-main/core/core.js';
import type { ClassDto, VideoDto } from '../../src-main/shared/dto.js';
import { makeVideo } from '../fixtures/make-videos.js';
import { callApi, expect, listClips, test as labelTest } from './fixtures/label-project.js';

const GATE = 'gate.mp4';

interface Moved {
  /** Where gate.mp4 is now (it was imported from elsewhere). */
  movedTo: string;
  /** A different video, which relink must refuse. */
  other: string;
}

const test = labelTest.extend<{ moved: Moved }>({
  moved: async ({ workDir }, use) => {
    await use({ movedTo: path.join(workDir, 'archive', GATE), other: path.join(workDir, 'other', 'other.mp4') });
  },
  // Imported, labelled and moved before the server opens the project: it finds the video missing.
  labelProject: async ({ labelProject, workDir, moved }, use) => {
    const original = await makeVideo(path.join(workDir, 'camera', GATE), { seconds: 4, pattern: 'smptebars' });
    await makeVideo(moved.other, { seconds: 4, pattern: 'mandelbrot' });
    const core = new Core({ mode: 'cli', userDataDir: labelProject.userDataDir });
    try {
      await core.call('project:open', { path: labelProject.dir });
      await core.call('videos:import', { paths: [original] });
      await core.currentSession()?.jobs.idle();
      const gate = (await core.call('videos:list', {})).find((v) => v.path === original);
      if (gate?.status !== 'ready') throw new Error(`${GATE} did not import: ${gate?.error ?? 'no row'}`);
      const walk = await core.call('classes:create', { name: 'walk' });
      const [clip] = await core.call('clips:list', { videoId: gate.id });
      await core.call('labels:set', { clipId: clip?.id ?? 0, classId: walk.id });
    } finally {
      await core.close();
    }
    fs.mkdirSync(path.dirname(moved.movedTo), { recursive: true });
    fs.renameSync(original, moved.movedTo);
    await use(labelProject);
  },
});

test('a missing video is relinked to its new place; a different file is refused with the reason', async ({ app, vssl, moved }) => {
  const page = app.page;
  const dialog = page.getByRole('dialog', { name: `Relink ${GATE}` });

  await expect(app.library.cell(GATE, 'status')).toHaveText(/Missing/, { timeout: 15_000 });
  await app.library.row(GATE).getByRole('button', { name: 'Relink…' }).click();

  await test.step('a different video is refused with the core’s message, nothing changes', async () => {
    await dialog.getByRole('textbox', { name: 'The video file' }).fill(moved.other);
    await dialog.getByRole('button', { name: 'Relink' }).click();
    await expect(dialog.getByTestId('relink-error')).toHaveText(
      `${moved.other} is not the same video as "${GATE}": its content differs. Import it as a new video instead.`,
    );
    await expect(app.library.cell(GATE, 'status')).toHaveText(/Missing/);
  });

  await test.step('the same file at its new place, picked in the file browser, is accepted', async () => {
    await dialog.getByRole('textbox', { name: 'The video file' }).fill('');
    await dialog.getByRole('button', { name: 'Browse for the video file' }).click();
    const picker = page.getByRole('dialog', { name: 'The video file' });
    await expect(picker).toBeVisible();
    const pathBox = picker.getByRole('textbox', { name: 'Folder path' });
    await pathBox.fill(path.dirname(moved.movedTo));
    await pathBox.press('Enter');
    await picker.getByRole('list', { name: 'Folder contents' }).getByRole('button', { name: GATE }).click();
    await picker.getByRole('button', { name: 'Choose this file' }).click();
    await expect(dialog.getByRole('textbox', { name: 'The video file' })).toHaveValue(moved.movedTo);
    await dialog.getByRole('button', { name: 'Relink' }).click();
    await expect(dialog).toBeHidden();
    await expect(app.library.cell(GATE, 'status')).toHaveText('Ready', { timeout: 15_000 });
    await expect(app.library.cell(GATE, 'detail')).toHaveText(moved.movedTo);
  });

  await test.step('its label is still on it', async () => {
    const videos = await callApi<VideoDto[]>(page.request, vssl, 'videos:list', {});
    const gate = videos.find((v) => v.path === moved.movedTo);
    expect(gate).toBeDefined();
    const clips = await listClips(page.request, vssl, gate?.id ?? 0);
    const classes = await callApi<ClassDto[]>(page.request, vssl, 'classes:list', {});
    expect(clips[0]?.classId).toBe(classes.find((c) => c.name === 'walk')?.id);
  });

  expect(app.pageErrors).toEqual([]);
});
