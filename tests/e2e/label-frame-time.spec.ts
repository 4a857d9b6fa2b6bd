/// <reference lib="dom" />
import { OFFSET_VIDEO, VFR_VIDEO, expect, listClips, test } from './fixtures/label-project.js';
import { LabelPage } from './pages/label-page.js';

const FPS = OFFSET_VIDEO.fps;

test.describe('non-zero start', () => {
  test.use({ labelVideoFile: OFFSET_VIDEO.file });

  test('29.97 fps, stream starting at 10 s: frame index, time, frame steps, clip jumps and labels are frame-exact', async ({
    app,
    vssl,
    labelProject,
  }) => {
    const label = new LabelPage(app.page);
    const playerTime = () => label.video().evaluate((v: HTMLVideoElement) => v.currentTime);
    await app.goTo('Label');
    await label.waitForVideo();
    await label.addClass('walk');
    await label.leaveFields();

    await test.step('frame 0 is the stream’s first frame, at presentation time 10 s', async () => {
      await expect(label.frameIndex()).toHaveText('0');
      await expect(label.frameTime()).toHaveText('0:00:00.000');
      expect(await playerTime()).toBeCloseTo(OFFSET_VIDEO.startTime + 0.5 / FPS, 3);
    });

    await test.step('. seven times, , twice: frame 5, shown mid-frame', async () => {
      for (let i = 0; i < 7; i++) await label.press('.');
      await expect(label.frameIndex()).toHaveText('7');
      await expect(label.frameTime()).toHaveText('0:00:00.234');
      for (let i = 0; i < 2; i++) await label.press(',');
      await expect(label.frameIndex()).toHaveText('5');
      expect(await playerTime()).toBeCloseTo(OFFSET_VIDEO.startTime + 5.5 / FPS, 3);
    });

    const clips = await listClips(app.page.request, vssl, labelProject.videoId);
    await test.step('the automatic clips sit on frame boundaries: 0–59, 60–119, 120–179', () => {
      expect(clips.map((c) => [c.startFrame, c.endFrame])).toEqual([
        [0, 60],
        [60, 120],
        [120, 180],
      ]);
      expect(clips[1]!.startSec).toBeCloseTo(60 / FPS, 9);
    });

    await test.step('→ lands on the next clip’s first frame; l loops it; 1 labels it', async () => {
      await label.press('ArrowRight');
      await expect(label.frameIndex()).toHaveText('60');
      await expect(label.frameTime()).toHaveText('0:00:02.002');
      await expect(label.currentClip()).toHaveAttribute('data-clip-id', String(clips[1]!.id));
      await label.press('l');
      await expect(app.page.getByTestId('loop-state')).toHaveText('frames 60–119');
      await label.press('1');
      await expect(label.currentClip()).toHaveAttribute('data-save-state', 'saved');
      const stored = await listClips(app.page.request, vssl, labelProject.videoId);
      expect(stored.filter((c) => c.classId !== null).map((c) => c.id)).toEqual([clips[1]!.id]);
    });

    await test.step('play and pause: the frame shown is the frame the player is on', async () => {
      await label.press('k');
      await expect.poll(async () => Number(await label.frameIndex().textContent())).toBeGreaterThan(64);
      await label.press('k');
      await expect.poll(() => label.isPlaying()).toBe(false);
      // After the pause settles on a frame, readout and player agree exactly; the loop kept it in the clip.
      await expect
        .poll(async () => {
          const frame = Number(await label.frameIndex().textContent());
          return frame - Math.floor(((await playerTime()) - OFFSET_VIDEO.startTime) * FPS);
        })
        .toBe(0);
      const frame = Number(await label.frameIndex().textContent());
      expect(frame).toBeGreaterThanOrEqual(60);
      expect(frame).toBeLessThan(120);
    });

    expect(app.pageErrors).toEqual([]);
  });
});

test.describe('variable frame rate', () => {
  test.use({ labelVideoFile: VFR_VIDEO.file });

  test('frames of a variable-frame-rate video are its real frames: steps, clip edges and the readout', async ({
    app,
    vssl,
    labelProject,
  }) => {
    const label = new LabelPage(app.page);
    const playerTime = () => label.video().evaluate((v: HTMLVideoElement) => v.currentTime);
    await app.goTo('Label');
    await label.waitForVideo();
    await expect(app.page.getByTestId('label-video-name').locator('..')).toContainText('variable');
    const clips = await listClips(app.page.request, vssl, labelProject.videoId);
    // 2.0 s falls between frames 37 (1.96 s) and 38 (2.04 s); i / fps would put it on frame 33.
    expect(clips.map((c) => [c.startFrame, c.endFrame])).toEqual([
      [0, 37],
      [37, 50],
    ]);

    await label.press('ArrowRight');
    await expect(label.frameIndex()).toHaveText('37');
    await expect(label.frameTime()).toHaveText('0:00:01.960');
    expect(await playerTime()).toBeCloseTo(1.96 + 0.04, 3);
    for (let i = 0; i < 12; i++) await label.press(',');
    await expect(label.frameIndex()).toHaveText('25');
    await expect(label.frameTime()).toHaveText('0:00:01.000');
    await label.press(',');
    await expect(label.frameIndex()).toHaveText('24');
    await expect(label.frameTime()).toHaveText('0:00:00.960');
    expect(await playerTime()).toBeCloseTo(0.96 + 0.02, 3);
    expect(app.pageErrors).toEqual([]);
  });
});
