import type { ClassDto } from '../../src-main/shared/dto.js';
import type { RunDto } from '../../src-main/shared/run-dto.js';
import { callApi, expect, listClips, test } from './fixtures/label-project.js';
import { ClipViewsPanel, VIEW_KINDS } from './pages/clip-views-panel.js';
import { ReviewPage } from './pages/review-page.js';

/** The smallest real run that predicts every clip, so the Review view has a clip to show. */
const TINY_RUN = { method: 'supervised', frames: 4, size: 16, batchSize: 2, epochs: 1, validationFraction: 0, mcPasses: 0 };

test('the Review view shows a clip as RGB, temporal gradient and optical flow side by side', async ({ app, vssl, labelProject }) => {
  test.setTimeout(120_000);
  const page = app.page;
  const request = page.request;
  const review = new ReviewPage(page);
  const views = new ClipViewsPanel(page);

  await test.step('label two clips of each of two classes and train a tiny run', async () => {
    const clips = await listClips(request, vssl, labelProject.videoId);
    const create = (name: string) => callApi<ClassDto>(request, vssl, 'classes:create', { name });
    const [a, b] = [await create('a'), await create('b')];
    for (const [i, cls] of [[0, a], [1, a], [10, b], [11, b]] as const) {
      await callApi(request, vssl, 'labels:set', { clipId: clips[i]?.id, classId: cls.id });
    }
    const started = await callApi<RunDto>(request, vssl, 'train:start', { settings: TINY_RUN, name: 'views e2e' });
    await expect
      .poll(async () => {
        const run = await callApi<RunDto>(request, vssl, 'runs:get', { id: started.id });
        if (run.status === 'failed') throw new Error(`the run failed: ${run.error ?? ''}`);
        return run.status;
      }, { timeout: 90_000, intervals: [500] })
      .toBe('succeeded');
  });

  await page.reload();
  await app.goTo('Review');
  const first = await review.waitForClip();

  await test.step('open the views: three canvases of 8 frames of 64×64, each drawn', async () => {
    await expect(views.toggle()).toHaveAttribute('aria-pressed', 'false');
    await views.toggle().click();
    await expect(views.toggle()).toHaveAttribute('aria-pressed', 'true');
    await expect(views.panel()).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    await expect(views.panel()).toContainText('Temporal gradient: what changed between frames');
    await expect(views.panel()).toContainText('Optical flow:');
    for (const kind of VIEW_KINDS) {
      const look = await views.look(kind);
      expect(look, kind).toMatchObject({ width: 64, height: 64, blank: 0 });
      // The moving test picture: every view has structure, not one flat colour.
      expect(look.colours, kind).toBeGreaterThan(1);
    }
    await expect(views.canvas('rgb')).toHaveCSS('image-rendering', 'pixelated');
  });

  await test.step('the frames play in a loop, and the slider stops them on a frame', async () => {
    const frameNow = () => views.canvas('flow').getAttribute('data-frame');
    const before = await frameNow();
    await expect.poll(frameNow).not.toBe(before);
    await views.slider().fill('5');
    for (const kind of VIEW_KINDS) await expect(views.canvas(kind)).toHaveAttribute('data-frame', '5');
    await expect(views.panel()).toContainText('frame 6 / 8');
    await expect(views.panel().getByRole('button', { name: 'Play' })).toBeVisible();
  });

  await test.step('the next clip shows its own views, still open', async () => {
    await views.slider().blur();
    const next = await review.pressAndMoveOn('ArrowRight', first, 'skip');
    expect(next.clipId).not.toBe(first.clipId);
    await expect(views.panel()).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    expect((await views.look('rgb')).blank).toBe(0);
  });

  expect(app.pageErrors).toEqual([]);
});
