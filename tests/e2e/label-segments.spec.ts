/// <reference lib="dom" />
import type { Locator } from '@playwright/test';
import type { ClipDto } from '../../src-main/shared/dto.js';
import { LABEL_VIDEO, expect, listClips, test } from './fixtures/label-project.js';
import { LabelPage } from './pages/label-page.js';

/** The frames a readout line shows ("frames 100–199" is [100, 200)). */
async function shownFrames(line: Locator): Promise<{ start: number; end: number }> {
  const text = (await line.textContent()) ?? '';
  const match = /frames (\d+)–(\d+)/.exec(text);
  if (!match) throw new Error(`no frames in "${text}"`);
  return { start: Number(match[1]), end: Number(match[2]) + 1 };
}

function userSegments(clips: ClipDto[]): ClipDto[] {
  return clips.filter((c) => c.origin === 'user');
}

test('draw a segment, drag its edge, nudge it a frame: the stored frames are the ones shown', async ({
  app,
  vssl,
  labelProject,
}) => {
  const label = new LabelPage(app.page);
  const request = app.page.request;
  const stored = async () => userSegments(await listClips(request, vssl, labelProject.videoId));
  await app.goTo('Label');
  await label.waitForVideo();
  await expect(label.frameIndex()).toHaveText('0');
  const selectedLine = label.selectedClip();

  const drawn = await test.step('drag on the segment lane draws a segment', async () => {
    await label.dragOnSegmentLane(400, 600);
    await expect(selectedLine).toContainText('segment');
    const shown = await shownFrames(selectedLine);
    const [segment, ...others] = await stored();
    expect(others).toEqual([]);
    expect({ start: segment!.startFrame, end: segment!.endFrame }).toEqual(shown);
    expect(shown.end - shown.start).toBeGreaterThan(150);
    expect(segment!.startSec).toBeCloseTo(segment!.startFrame / LABEL_VIDEO.fps, 9);
    expect(segment!.endSec).toBeCloseTo(segment!.endFrame / LABEL_VIDEO.fps, 9);
    await expect(selectedLine).toHaveAttribute('data-clip-id', String(segment!.id));
    return segment!;
  });

  const dragged = await test.step('drag its end edge further right', async () => {
    const g = await label.timelineGeometry();
    const y = label.userLaneY(g);
    await app.page.mouse.move(label.xOf(g, drawn.endFrame), y);
    await app.page.mouse.down();
    await app.page.mouse.move(label.xOf(g, drawn.endFrame + 120), y, { steps: 6 });
    await app.page.mouse.up();
    await expect.poll(async () => (await shownFrames(selectedLine)).end).toBeGreaterThan(drawn.endFrame + 60);
    const shown = await shownFrames(selectedLine);
    await expect.poll(async () => (await stored())[0]?.endFrame).toBe(shown.end);
    const [segment, ...others] = await stored();
    expect(others).toEqual([]);
    expect(segment!.id).toBe(drawn.id);
    expect({ start: segment!.startFrame, end: segment!.endFrame }).toEqual(shown);
    return segment!;
  });

  await test.step('nudge its end one frame later (}) and, at once, its start one frame earlier ([): both stick', async () => {
    await label.leaveFields();
    // The second key comes before the first one's answer: it must add to it, not put the end back.
    await label.pressAtOnce(['}', '[']);
    await expect.poll(async () => (await stored())[0]?.startFrame).toBe(dragged.startFrame - 1);
    await expect.poll(async () => (await stored())[0]?.endFrame).toBe(dragged.endFrame + 1);
    // The readout changes when the answer arrives, a moment after the file has it.
    await expect.poll(() => shownFrames(selectedLine)).toEqual({ start: dragged.startFrame - 1, end: dragged.endFrame + 1 });
    const [segment] = await stored();
    expect(segment!.startSec).toBeCloseTo((dragged.startFrame - 1) / LABEL_VIDEO.fps, 9);
    expect(segment!.endSec).toBeCloseTo((dragged.endFrame + 1) / LABEL_VIDEO.fps, 9);
  });

  await test.step('d at a clip start and d again ten frames later draws frames 300–310', async () => {
    const removed = await stored();
    for (const clip of removed) {
      await app.page.request.post(`${vssl.origin}/api/clips:delete`, { data: { id: clip.id } });
    }
    await expect.poll(async () => (await stored()).length).toBe(0);
    for (let i = 0; i < 6; i++) await label.press('ArrowRight');
    await expect(label.frameIndex()).toHaveText('300');
    await label.press('d');
    for (let i = 0; i < 10; i++) await label.press('.');
    await expect(label.frameIndex()).toHaveText('310');
    await expect(label.frameTime()).toHaveText('0:00:12.400');
    // The player shows frame 310 itself: mid-frame, in the stream's own time.
    expect(await label.video().evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(310.5 / LABEL_VIDEO.fps, 3);
    await label.press('d');
    await expect.poll(async () => (await stored()).map((c) => [c.startFrame, c.endFrame])).toEqual([[300, 311]]);
    // Keys act on the clips the page shows, which change when the answer arrives.
    await expect.poll(() => shownFrames(label.currentClip())).toEqual({ start: 300, end: 311 });
  });

  await test.step('split at the playhead (s), merge back (m), delete (Delete)', async () => {
    for (let i = 0; i < 5; i++) await label.press(',');
    await expect(label.frameIndex()).toHaveText('305');
    await label.press('s');
    await expect.poll(async () => (await stored()).map((c) => [c.startFrame, c.endFrame])).toEqual([
      [300, 305],
      [305, 311],
    ]);
    await expect.poll(() => shownFrames(label.currentClip())).toEqual({ start: 305, end: 311 });
    await label.press('ArrowLeft');
    await expect(label.frameIndex()).toHaveText('300');
    await label.press('m');
    await expect.poll(async () => (await stored()).map((c) => [c.startFrame, c.endFrame])).toEqual([[300, 311]]);
    await label.press('Delete');
    await expect.poll(async () => (await stored()).length).toBe(0);
  });

  await test.step('w makes a segment covering the whole video', async () => {
    await label.press('w');
    await expect.poll(async () => (await stored()).map((c) => [c.startFrame, c.endFrame])).toEqual([
      [0, LABEL_VIDEO.frames],
    ]);
  });

  expect(app.pageErrors).toEqual([]);
});
