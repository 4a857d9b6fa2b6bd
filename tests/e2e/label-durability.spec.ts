/// <reference lib="dom" />
import Database from 'better-sqlite3';
import path from 'node:path';
import { LABEL_VIDEO, expect, listClips, serverPid, test } from './fixtures/label-project.js';
import { startVsslServer } from './fixtures/vssl-server.js';
import { LabelPage } from './pages/label-page.js';

/** Labels saved before the kill that the test waits for; the rest of the keys go to a dead server. */
const SAVED_BEFORE_KILL = 8;

test('kill -9 the server during rapid labelling: every label shown as saved is in the project, which passes quick_check', async ({
  app,
  labelProject,
}) => {
  const label = new LabelPage(app.page);
  await app.goTo('Label');
  await label.waitForVideo();
  await label.addClass('walk');
  await label.addClass('run');
  await label.leaveFields();

  const killedAt = await test.step('label clip after clip as fast as keys go; kill -9 the server midway', async () => {
    const pid = serverPid(labelProject.dir);
    let killed = -1;
    for (let i = 0; i < LABEL_VIDEO.clips - 1; i++) {
      await label.press(i % 2 === 0 ? '1' : '2');
      await label.press('ArrowRight');
      if (killed < 0 && (await label.activity('saved').count()) >= SAVED_BEFORE_KILL) {
        process.kill(pid, 'SIGKILL');
        killed = i;
      }
    }
    expect(killed, 'the kill happened while keys were still being pressed').toBeGreaterThanOrEqual(0);
    expect(killed).toBeLessThan(LABEL_VIDEO.clips - 2);
    // Everything sent after the kill fails, and says so.
    await expect(label.activity('saving')).toHaveCount(0, { timeout: 20_000 });
    await expect(label.activity('failed').first()).toBeVisible();
    return killed;
  });

  const shownSaved = await label.savedLabels();
  expect(shownSaved.length).toBeGreaterThanOrEqual(SAVED_BEFORE_KILL);
  expect(shownSaved.length).toBeLessThan(LABEL_VIDEO.clips - 1);
  test.info().annotations.push({ type: 'durability', description: `${shownSaved.length} labels saved before the kill after key pair ${killedAt}` });

  await test.step('the project file after the kill: quick_check ok, every label shown as saved is there', () => {
    const db = new Database(path.join(labelProject.dir, 'project.vssl'));
    try {
      expect(db.pragma('quick_check', { simple: true })).toBe('ok');
      const rows = db.prepare('SELECT clip_id AS clipId, class_id AS classId FROM labels').all() as {
        clipId: number;
        classId: number;
      }[];
      const stored = new Map(rows.map((r) => [r.clipId, r.classId]));
      for (const saved of shownSaved) expect(stored.get(saved.clipId), `clip ${saved.clipId}`).toBe(saved.classId);
    } finally {
      db.close();
    }
  });

  await test.step('restart the server on the same project: the UI shows those labels', async () => {
    const second = await startVsslServer({ userDataDir: labelProject.userDataDir, projectDir: labelProject.dir });
    try {
      await app.page.goto(second.url);
      await app.goTo('Label');
      const clips = await listClips(app.page.request, second, labelProject.videoId);
      const labelled = new Map(clips.filter((c) => c.classId !== null).map((c) => [c.id, c.classId]));
      for (const saved of shownSaved) expect(labelled.get(saved.clipId)).toBe(saved.classId);
      await expect(label.overallProgress()).toHaveText(`${labelled.size} of ${LABEL_VIDEO.clips} clips labelled`);
    } finally {
      await second.stop();
    }
  });

  // The failed calls after the kill are reported in the UI, not thrown as page errors.
  expect(app.pageErrors).toEqual([]);
});
