/// <reference lib="dom" />
import type { ClipDto } from '../../src-main/shared/dto.js';
import { LABEL_VIDEO, expect, listClips, test } from './fixtures/label-project.js';
import { LabelPage } from './pages/label-page.js';

test('label 20 clips with the keyboard while the video plays; undo 3, redo 1; reload keeps exactly those labels', async ({
  app,
  vssl,
  labelProject,
}) => {
  const label = new LabelPage(app.page);
  const request = app.page.request;
  await app.goTo('Label');
  await label.waitForVideo();
  const autoClips = (await listClips(request, vssl, labelProject.videoId)).filter((c) => c.origin === 'auto');
  expect(autoClips).toHaveLength(LABEL_VIDEO.clips);

  const keys = await test.step('create three classes: two take the next free keys, one gets q', async () => {
    await label.addClass('walk');
    await label.addClass('run');
    await label.addClass('sit', 'q');
    expect([await label.hotkeyOf('walk'), await label.hotkeyOf('run'), await label.hotkeyOf('sit')]).toEqual(['1', '2', 'q']);
    return [
      { key: '1', classId: await label.classIdOf('walk') },
      { key: '2', classId: await label.classIdOf('run') },
      { key: 'q', classId: await label.classIdOf('sit') },
    ];
  });

  const intended = new Map<number, number>();
  await test.step('keyboard only: play, then a class key and → or n for each of 20 clips', async () => {
    await label.leaveFields();
    await expect(label.currentClip()).toHaveAttribute('data-clip-id', String(autoClips[0]!.id));
    // A quarter speed gives each 2 s clip 8 s on screen: room for the keys even on a loaded machine.
    await label.press('-');
    await label.press('-');
    await expect(label.speed()).toHaveText('0.25×');
    await label.press('k');
    await expect.poll(() => label.isPlaying()).toBe(true);
    await app.page.evaluate(() => {
      const v = document.querySelector('video')!;
      v.dataset.pauses = '0';
      v.addEventListener('pause', () => (v.dataset.pauses = String(Number(v.dataset.pauses) + 1)));
    });
    for (let i = 0; i < 20; i++) {
      const clip = autoClips[i]!;
      const { key, classId } = keys[i % keys.length]!;
      // Each move lands on the next clip's first frame, so the playhead stays inside it for 8 s.
      await expect(label.currentClip()).toHaveAttribute('data-clip-id', String(clip.id));
      await label.press(key);
      intended.set(clip.id, classId);
      await label.press(i % 2 === 0 ? 'ArrowRight' : 'n');
    }
    await expect(label.activity('saved').and(app.page.locator('[data-kind="label"]'))).toHaveCount(20);
    expect(await label.isPlaying()).toBe(true);
    expect(await app.page.locator('video').getAttribute('data-pauses')).toBe('0');
    expect(await label.savedLabels()).toEqual([...intended].map(([clipId, classId]) => ({ clipId, classId })));
    await label.press('k');
  });

  await test.step('undo three, redo one (Ctrl+Z ×3, Ctrl+Shift+Z)', async () => {
    for (let i = 0; i < 3; i++) await label.press('Control+z');
    await label.press('Control+Shift+z');
    const history = app.page.getByTestId('activity-entry').and(app.page.locator('[data-kind="history"]'));
    await expect(history.and(app.page.locator('[data-state="saved"]'))).toHaveCount(4);
    await expect(history.first()).toContainText('Redone: Label a clip');
  });
  // The last three labels were undone and the first of them (clip 18) redone.
  intended.delete(autoClips[19]!.id);
  intended.delete(autoClips[18]!.id);
  await expect(label.overallProgress()).toHaveText(`18 of ${LABEL_VIDEO.clips} clips labelled`);

  await test.step('reload the page: the project holds exactly the expected labels', async () => {
    await app.page.reload();
    await app.goTo('Label');
    await expect(label.overallProgress()).toHaveText(`18 of ${LABEL_VIDEO.clips} clips labelled`);
    const stored = await listClips(request, vssl, labelProject.videoId);
    const labelled = new Map(stored.filter((c: ClipDto) => c.classId !== null).map((c) => [c.id, c.classId]));
    expect(labelled).toEqual(intended);
    expect(stored.filter((c) => c.origin === 'user')).toEqual([]);
  });

  await test.step('filters across the project: unlabelled clips, clips of one class; a match opens its clip', async () => {
    const filter = app.page.getByRole('combobox', { name: 'Show clips' });
    await filter.selectOption({ label: 'With unlabelled clips' });
    await expect(app.page.getByTestId('matching-total')).toHaveText(String(LABEL_VIDEO.clips - 18));
    await filter.selectOption({ label: 'Labelled “run”' });
    const runClips = [...intended].filter(([, classId]) => classId === keys[1]!.classId).map(([clipId]) => String(clipId));
    await expect(app.page.getByTestId('matching-total')).toHaveText(String(runClips.length));
    await expect(app.page.getByTestId('matching-clip')).toHaveCount(runClips.length);
    const matches = await app.page.getByTestId('matching-clip').evaluateAll((els) => els.map((e) => e.getAttribute('data-clip-id')));
    expect(matches).toEqual(runClips);
    await app.page.getByTestId('matching-clip').nth(2).click();
    await expect(label.currentClip()).toHaveAttribute('data-clip-id', runClips[2]!);
    await filter.selectOption({ label: 'All videos' });
  });

  await test.step('redo survives the reload too (Ctrl+Y): the journal is in the project', async () => {
    await label.waitForVideo();
    await label.leaveFields();
    await label.press('Control+y');
    const redone = app.page.getByTestId('activity-entry').and(app.page.locator('[data-kind="history"][data-state="saved"]'));
    await expect(redone).toHaveCount(1);
    const clip19 = autoClips[18]!;
    await expect.poll(async () => (await listClips(request, vssl, labelProject.videoId)).find((c) => c.id === clip19.id)?.classId).toBe(
      keys[18 % keys.length]!.classId,
    );
    await expect(label.overallProgress()).toHaveText(`19 of ${LABEL_VIDEO.clips} clips labelled`);
  });

  expect(app.pageErrors).toEqual([]);
});
