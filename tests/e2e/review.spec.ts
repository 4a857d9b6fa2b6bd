/**
 * The Review view end to end: a person reviews with the keyboard, reloads, and accepts in bulk, on a run
 * whose predictions are fixed (fixtures/review-run.ts), so every count below is the same on every machine.
 */
import type { APIRequestContext } from '@playwright/test';
import type { ClassDto, ClipDto, VideoDto } from '../../src-main/shared/dto.js';
import type { BulkAcceptPreview, ReviewItem, ReviewQueuePage } from '../../src-main/shared/review.js';
import type { RunDto } from '../../src-main/shared/run-dto.js';
import { callApi, listClips, test as labelTest } from './fixtures/label-project.js';
import { CONFIDENCE, expect, HUMAN_RUN, HUMAN_WALK, SURE_THRESHOLD, test } from './fixtures/review-run.js';
import type { VsslServer } from './fixtures/vssl-server.js';
import { ReviewPage, type ShownClip } from './pages/review-page.js';

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

/** The classes and the run the fixture wrote, as the server reads them. */
async function seeded(request: APIRequestContext, vssl: VsslServer): Promise<{ classes: Classes; run: RunDto }> {
  const list = await callApi<ClassDto[]>(request, vssl, 'classes:list', {});
  const byName = (name: string) => {
    const found = list.find((c) => c.name === name);
    if (!found) throw new Error(`no class "${name}"`);
    return found;
  };
  const runs = await callApi<RunDto[]>(request, vssl, 'runs:list', {});
  expect(runs).toHaveLength(1);
  const run = runs[0]!;
  expect(run).toMatchObject({ status: 'succeeded', hasModel: true });
  return { classes: { walk: byName('walk'), run: byName('run'), jump: byName('jump') }, run };
}

async function wholeQueue(request: APIRequestContext, vssl: VsslServer, runId: number): Promise<ReviewItem[]> {
  const page = await callApi<ReviewQueuePage>(request, vssl, 'review:queue', {
    runId,
    strategy: 'least-confidence',
    limit: 10_000,
  });
  return page.items;
}

labelTest('before any run, the Review view says to train first', async ({ app }) => {
  const review = new ReviewPage(app.page);
  await app.goTo('Review');
  await expect(review.empty()).toContainText('No predictions to review yet');
  await expect(review.empty().getByRole('button', { name: 'Go to Train' })).toBeVisible();
  expect(app.pageErrors).toEqual([]);
});

/** What the person expects a clip to end up as after the keys they pressed. */
type Expected = { kind: 'label'; classId: number } | { kind: 'not'; classId: number };

test('review ten clips with the keyboard, reload, and bulk-accept the sure ones', async ({ app, vssl }) => {
  test.setTimeout(120_000);
  const page = app.page;
  const review = new ReviewPage(page);
  const request = page.request;

  const { classes, run } = await seeded(request, vssl);
  const other = (classId: number) => (classId === classes.walk.id ? classes.run : classes.walk);
  const hotkey = (cls: ClassDto) => cls.hotkey ?? '';

  await app.goTo('Review');
  await expect(review.runPicker()).toHaveValue(String(run.id));
  await expect(review.strategy('Least confidence')).toBeChecked();
  let clip = await review.waitForClip();
  const queueBefore = await wholeQueue(request, vssl, run.id);
  const total = queueBefore.length;
  // Every clip but the six a person labelled, least confident first.
  expect(total).toBe(CONFIDENCE.unsure.length + CONFIDENCE.middling.length + CONFIDENCE.sure.length);
  expect(total).toBe(run.predictions - HUMAN_WALK.length - HUMAN_RUN.length);
  const byConfidence = [...CONFIDENCE.unsure, ...CONFIDENCE.middling, ...CONFIDENCE.sure];
  queueBefore.forEach((item, i) => expect(item.confidence).toBeCloseTo(byConfidence[i]!, 6));
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

  /** Bulk-accepts at `threshold` through the dialog; checks the preview counted `expected` and that exactly those got labels. */
  const bulkAccept = async (threshold: number, expected: ReviewItem[]): Promise<void> => {
    const before = await callApi<BulkAcceptPreview>(request, vssl, 'review:bulk-preview', { runId: run.id, minConfidence: threshold });
    expect(before.total).toBe(expected.length);
    const count = await review.previewBulk(String(threshold));
    expect(count).toBe(expected.length);
    const labelledBefore = (await allClips(request, vssl)).filter((c) => c.labelSource === 'review').length;
    await review.confirmBulk(count);
    const after = await allClips(request, vssl);
    const byId = new Map(after.map((c) => [c.id, c]));
    expect(after.filter((c) => c.labelSource === 'review')).toHaveLength(labelledBefore + count);
    for (const item of expected) expect(byId.get(item.clipId)).toMatchObject({ labelSource: 'review', classId: item.predictedClassId });
  };
  const pendingAt = async (threshold: number): Promise<ReviewItem[]> =>
    (await wholeQueue(request, vssl, run.id)).filter((item) => item.decision === null && item.confidence >= threshold);

  await test.step(`bulk accept at ${SURE_THRESHOLD} labels exactly the sure clips the preview counted`, async () => {
    const sure = await pendingAt(SURE_THRESHOLD);
    expect(sure).toHaveLength(CONFIDENCE.sure.length);
    await bulkAccept(SURE_THRESHOLD, sure);
    // The middling clips are left, and the eleventh (the least confident of them) is still on screen.
    await expect(review.position()).toHaveText(`11 of ${total} · ${CONFIDENCE.middling.length} pending`);
    await expect(review.prediction()).toHaveAttribute('data-clip-id', String(eleventh.clipId));
  });

  await test.step('a bulk accept that takes every clip left ends the queue', async () => {
    const rest = await pendingAt(0.5);
    expect(rest).toHaveLength(CONFIDENCE.middling.length);
    await bulkAccept(0.5, rest);
    await expect(review.view().getByTestId('review-done')).toContainText('Queue done');
    await expect(review.view().getByTestId('review-done')).toContainText(`All ${total} clips in this queue have a decision.`);
    await expect(review.position()).toBeHidden();
    await expect(review.prediction()).toBeHidden();
  });

  expect(app.pageErrors).toEqual([]);
});
