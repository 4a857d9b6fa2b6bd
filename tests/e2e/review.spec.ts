import type { APIRequestContext } from '@playwright/test';
import path from 'node:path';
import type { ClassDto, ClipDto, JobDto, VideoDto } from '../../src-main/shared/dto.js';
import type { BulkAcceptPreview, ReviewItem, ReviewQueuePage } from '../../src-main/shared/review.js';
import type { RunDto } from '../../src-main/shared/run-dto.js';
import { callApi, expect, listClips, test } from './fixtures/label-project.js';
import type { VsslServer } from './fixtures/vssl-server.js';
import { makeVideo } from '../fixtures/make-videos.js';
import { ReviewPage, type ShownClip } from './pages/review-page.js';

/**
 * A short supervised run on 4×16×16 clips (seconds on wasm). "walk" is labelled on the moving test
 * picture and "run" on still colour bars: the model ends up sure of the bars and unsure of the rest,
 * so the queue has both clips to review and clips to bulk-accept.
 */
const SHORT_RUN = { method: 'supervised', frames: 4, size: 16, batchSize: 2, epochs: 10, validationFraction: 0, mcPasses: 4 };

interface Classes {
  walk: ClassDto;
  run: ClassDto;
  jump: ClassDto;
}

async function allClips(request: APIRequestContext, vssl: VsslServer): Promise<ClipDto[]> {
  const videos = await callApi<VideoDto[]>(request, vssl, 'videos:list', {});
  const lists = await Promise.all(videos.map((video) => listClips(request, vssl, video.id)));
  return lists.flat();
}

async function labelAndTrain(
  request: APIRequestContext,
  vssl: VsslServer,
  videoId: number,
  workDir: string,
): Promise<{ classes: Classes; run: RunDto }> {
  const barsId = await test.step('import 20 s of colour bars next to the test picture', async () => {
    const bars = await makeVideo(path.join(workDir, 'bars', 'bars-20s.mp4'), { pattern: 'smptebars', seconds: 20 });
    await callApi(request, vssl, 'videos:import', { paths: [bars] });
    const busy = async () =>
      (await callApi<JobDto[]>(request, vssl, 'jobs:list', {})).some((job) => ['queued', 'running'].includes(job.state));
    await expect.poll(busy, { timeout: 30_000 }).toBe(false);
    const videos = await callApi<VideoDto[]>(request, vssl, 'videos:list', {});
    const found = videos.find((video) => video.id !== videoId);
    expect(found).toBeDefined();
    return found?.id ?? 0;
  });
  const classes = await test.step('label three clips each of "walk" and "run"; "jump" gets none', async () => {
    const picture = await listClips(request, vssl, videoId);
    const bars = await listClips(request, vssl, barsId);
    expect(picture.length).toBeGreaterThanOrEqual(20);
    expect(bars.length).toBeGreaterThanOrEqual(9);
    const create = (name: string) => callApi<ClassDto>(request, vssl, 'classes:create', { name });
    const made: Classes = { walk: await create('walk'), run: await create('run'), jump: await create('jump') };
    for (const i of [0, 5, 10]) await callApi(request, vssl, 'labels:set', { clipId: picture[i]?.id, classId: made.walk.id });
    for (const i of [0, 4, 8]) await callApi(request, vssl, 'labels:set', { clipId: bars[i]?.id, classId: made.run.id });
    return made;
  });
  const run = await test.step('train a short real run that predicts every clip', async () => {
    const started = await callApi<RunDto>(request, vssl, 'train:start', { settings: SHORT_RUN, name: 'review e2e' });
    let run = started;
    await expect
      .poll(
        async () => {
          run = await callApi<RunDto>(request, vssl, 'runs:get', { id: started.id });
          if (run.status === 'failed') throw new Error(`the run failed: ${run.error ?? ''}`);
          return run.status;
        },
        { timeout: 90_000, intervals: [500] },
      )
      .toBe('succeeded');
    expect(run.predictions).toBeGreaterThan(0);
    return run;
  });
  return { classes, run };
}

async function wholeQueue(request: APIRequestContext, vssl: VsslServer, runId: number): Promise<ReviewItem[]> {
  const page = await callApi<ReviewQueuePage>(request, vssl, 'review:queue', {
    runId,
    strategy: 'least-confidence',
    limit: 10_000,
  });
  return page.items;
}

/** What the person expects a clip to end up as after the keys they pressed. */
type Expected = { kind: 'label'; classId: number } | { kind: 'not'; classId: number };

test('review ten clips with the keyboard, reload, and bulk-accept the sure ones', async ({ app, vssl, labelProject, workDir }) => {
  test.setTimeout(180_000);
  const page = app.page;
  const review = new ReviewPage(page);
  const request = page.request;

  await app.goTo('Review');
  await test.step('before any run, the Review view says to train first', async () => {
    await expect(review.empty()).toContainText('No predictions to review yet');
    await expect(review.empty().getByRole('button', { name: 'Go to Train' })).toBeVisible();
  });

  const { classes, run } = await labelAndTrain(request, vssl, labelProject.videoId, workDir);
  const other = (classId: number) => (classId === classes.walk.id ? classes.run : classes.walk);
  const hotkey = (cls: ClassDto) => cls.hotkey ?? '';

  await page.reload();
  await app.goTo('Review');
  await expect(review.runPicker()).toHaveValue(String(run.id));
  await expect(review.strategy('Least confidence')).toBeChecked();
  let clip = await review.waitForClip();
  const queueBefore = await wholeQueue(request, vssl, run.id);
  const total = queueBefore.length;
  expect(total).toBeGreaterThanOrEqual(12);
  await expect(review.position()).toHaveText(`1 of ${total} · ${total} pending`);
  expect(clip.clipId).toBe(queueBefore[0]?.clipId);
  await expect(review.video()).toBeVisible();

  const expected = new Map<number, Expected>();
  const order: ShownClip[] = [];
  const decide = async (key: string, what: string, outcome: Expected | null): Promise<void> => {
    order.push(clip);
    if (outcome) expected.set(clip.clipId, outcome);
    else expected.delete(clip.clipId);
    clip = await review.pressAndMoveOn(key, clip, what);
  };

  // Clip 1: accept; 2: correct; 3: reject.
  await decide('Enter', 'accept', { kind: 'label', classId: clip.predictedClassId });
  await expect(review.position()).toHaveText(`2 of ${total} · ${total - 1} pending`);
  await decide(hotkey(other(clip.predictedClassId)), 'correct', { kind: 'label', classId: other(clip.predictedClassId).id });
  await decide('x', 'reject', { kind: 'not', classId: clip.predictedClassId });

  await test.step('skip the fourth clip, come back to it and accept it', async () => {
    const fourth = clip;
    await decide('ArrowRight', 'skip', null);
    expect(clip.clipId).toBe(queueBefore[4]?.clipId);
    clip = await review.pressAndShow('ArrowLeft', fourth.clipId, 'back');
    await expect(review.decision()).toHaveText('Pending');
    await decide('Enter', 'accept', { kind: 'label', classId: clip.predictedClassId });
  });

  await test.step('accept the fifth, undo it: the fifth is back without a decision, then correct it', async () => {
    const fifth = clip;
    expect(fifth.clipId).toBe(queueBefore[4]?.clipId);
    await decide('Enter', 'accept', { kind: 'label', classId: fifth.predictedClassId });
    clip = await review.pressAndShow('Control+z', fifth.clipId, 'undo');
    expected.delete(fifth.clipId);
    await expect(review.decision()).toHaveText('Pending');
    await expect(review.notice()).toContainText('Undone');
    await decide(hotkey(other(clip.predictedClassId)), 'correct', { kind: 'label', classId: other(clip.predictedClassId).id });
  });

  // Clips 6–10.
  await decide('x', 'reject', { kind: 'not', classId: clip.predictedClassId });
  await decide('Enter', 'accept', { kind: 'label', classId: clip.predictedClassId });
  await decide(hotkey(classes.jump), 'correct to jump', { kind: 'label', classId: classes.jump.id });
  await decide('Enter', 'accept', { kind: 'label', classId: clip.predictedClassId });
  await decide('X', 'reject', { kind: 'not', classId: clip.predictedClassId });

  const reviewed = [...new Set(order.map((c) => c.clipId))];
  expect(reviewed).toEqual(queueBefore.slice(0, 10).map((item) => item.clipId));
  const eleventh = clip;
  expect(eleventh.clipId).toBe(queueBefore[10]?.clipId);
  await expect(review.position()).toHaveText(`11 of ${total} · ${total - 10} pending`);

  await test.step('typing in a field does not review', async () => {
    const field = review.view().getByRole('textbox', { name: 'Confidence from' });
    await field.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('x');
    await page.keyboard.press('Escape');
    await expect(review.prediction()).toHaveAttribute('data-clip-id', String(eleventh.clipId));
    await expect(review.position()).toHaveText(`11 of ${total} · ${total - 10} pending`);
  });

  await test.step('after a reload the queue opens at the same clip', async () => {
    await page.reload();
    await app.goTo('Review');
    await expect(review.prediction()).toHaveAttribute('data-clip-id', String(eleventh.clipId));
    await expect(review.position()).toHaveText(`11 of ${total} · ${total - 10} pending`);
  });

  await test.step('the project holds exactly the expected labels and negative labels', async () => {
    const clips = await allClips(request, vssl);
    const reviewLabels = new Map(clips.filter((c) => c.labelSource === 'review').map((c) => [c.id, c.classId]));
    const wantLabels = new Map([...expected].filter(([, e]) => e.kind === 'label').map(([id, e]) => [id, e.classId]));
    expect(reviewLabels).toEqual(wantLabels);
    const queue = await wholeQueue(request, vssl, run.id);
    const negatives = new Map(queue.filter((item) => item.rejectedClassIds.length > 0).map((item) => [item.clipId, item.rejectedClassIds]));
    const wantNegatives = new Map([...expected].filter(([, e]) => e.kind === 'not').map(([id, e]) => [id, [e.classId]]));
    expect(negatives).toEqual(wantNegatives);
    expect(clips.filter((c) => c.labelSource === 'human')).toHaveLength(6);
  });

  await test.step('bulk accept above 0.9 labels exactly the clips the preview counted', async () => {
    const before = await callApi<BulkAcceptPreview>(request, vssl, 'review:bulk-preview', { runId: run.id, minConfidence: 0.9 });
    const queue = await wholeQueue(request, vssl, run.id);
    const sure = queue.filter((item) => item.decision === null && item.confidence >= 0.9);
    expect(before.total).toBe(sure.length);
    expect(sure.length).toBeGreaterThan(0);
    const count = await review.previewBulk('0.9');
    expect(count).toBe(sure.length);
    const labelledBefore = (await allClips(request, vssl)).filter((c) => c.labelSource === 'review').length;
    await review.confirmBulk(count);
    const after = await allClips(request, vssl);
    const byId = new Map(after.map((c) => [c.id, c]));
    expect(after.filter((c) => c.labelSource === 'review')).toHaveLength(labelledBefore + count);
    for (const item of sure) expect(byId.get(item.clipId)).toMatchObject({ labelSource: 'review', classId: item.predictedClassId });
    await expect(review.position()).toContainText(`· ${total - 10 - count} pending`);
  });

  expect(app.pageErrors).toEqual([]);
});
