/// <reference lib="dom" />
/**
 * The loop closed in one tool: after a real short training run on a generated video, predictions
 * show on the Label view's timeline and can be accepted there; review decisions fill the run's
 * quality panel; the Models view shows the rounds and retrains with the corrections.
 */
import type { APIRequestContext } from '@playwright/test';
import type { ClassDto, ClipDto } from '../../src-main/shared/dto.js';
import type { ReviewQuality, RoundDto } from '../../src-main/shared/review.js';
import type { PredictionPage, RunDto } from '../../src-main/shared/run-dto.js';
import { LABEL_VIDEO, callApi, expect, listClips, test } from './fixtures/label-project.js';
import type { VsslServer } from './fixtures/vssl-server.js';
import { LabelPage } from './pages/label-page.js';
import { ModelsPage, QualityPanel } from './pages/models-page.js';
import { TrainPage } from './pages/train-page.js';

/** A 1-epoch supervised run on 4×16×16 clips: seconds on wasm. */
const TINY = { method: 'supervised', epochs: 1, frames: 4, size: 16, batchSize: 2 } as const;
const LABELLED = 6;

async function waitForRun(request: APIRequestContext, vssl: VsslServer, id: number): Promise<RunDto> {
  const get = () => callApi<RunDto>(request, vssl, 'runs:get', { id });
  await expect.poll(async () => (await get()).status, { timeout: 90_000, intervals: [500] }).toBe('succeeded');
  return get();
}

test('predictions on the timeline, accepted inline; quality per class; rounds and retraining with corrections', async ({
  app,
  vssl,
  labelProject,
}) => {
  // Two real training runs (decode, train, predict) on a tiny input.
  test.setTimeout(180_000);
  const page = app.page;
  const request = page.request;
  const label = new LabelPage(page);
  const train = new TrainPage(page);
  const models = new ModelsPage(page);

  const { walk, run } = await test.step('label three clips each of "walk" and "run", then train a first run', async () => {
    const clips = (await listClips(request, vssl, labelProject.videoId)).filter((c: ClipDto) => c.origin === 'auto');
    expect(clips).toHaveLength(LABEL_VIDEO.clips);
    const create = (name: string) => callApi<ClassDto>(request, vssl, 'classes:create', { name });
    const walk = await create('walk');
    const run = await create('run');
    for (const [i, cls] of [walk, walk, walk, run, run, run].entries()) {
      await callApi(request, vssl, 'labels:set', { clipId: clips[i]?.id, classId: cls.id });
    }
    const started = await callApi<RunDto>(request, vssl, 'train:start', { settings: TINY });
    expect(started.id).toBe(1);
    const finished = await waitForRun(request, vssl, 1);
    expect(finished.predictions).toBe(LABEL_VIDEO.clips);
    return { walk, run };
  });

  await test.step('before any review, the run’s quality panel says what it will show', async () => {
    await app.goTo('Train');
    await expect(train.detailOf(1)).toBeVisible();
    await expect(train.detail().getByTestId('quality-empty')).toHaveText(
      "Review some pseudo-labels to see whether this run's confidence can be trusted.",
    );
    await expect(train.detail().getByRole('button', { name: 'Retrain with my corrections' })).toBeVisible();
  });

  const accepted = await test.step('the Label view draws a prediction for every unlabelled clip', async () => {
    await app.goTo('Label');
    await label.waitForVideo();
    const canvas = label.timeline();
    await expect(canvas).toHaveAttribute('data-prediction-run', '1');
    await expect(canvas).toHaveAttribute('data-predictions', String(LABEL_VIDEO.clips - LABELLED));
    // A click on the prediction lane, in the first unlabelled clip: it seeks there (and takes the focus off the nav bar).
    const target = (await listClips(request, vssl, labelProject.videoId)).find((c) => c.origin === 'auto' && c.classId === null);
    if (!target) throw new Error('no unlabelled clip');
    const g = await label.timelineGeometry();
    const laneTop = Number(await canvas.getAttribute('data-prediction-lane-top'));
    await page.mouse.click(label.xOf(g, (target.startFrame + target.endFrame) / 2), g.top + laneTop + g.laneHeight / 2);
    await expect(label.currentClip()).toHaveAttribute('data-clip-id', String(target.id));
    const readout = page.getByTestId('prediction-readout');
    await expect(readout).toHaveAttribute('data-clip-id', String(target.id));
    const clipId = target.id;
    await expect(readout).toContainText(/Predicted: (walk|run) · \d+ %/);
    return { clipId, classId: Number(await readout.getAttribute('data-class-id')) };
  });

  const labelOf = async (clipId: number) => {
    const clip = (await listClips(request, vssl, labelProject.videoId)).find((c) => c.id === clipId);
    return clip ? { classId: clip.classId, source: clip.labelSource } : null;
  };

  await test.step('Enter accepts it: the clip gets the predicted class with source review, and leaves the lane', async () => {
    await label.press('Enter');
    await expect.poll(() => labelOf(accepted.clipId)).toEqual({ classId: accepted.classId, source: 'review' });
    await expect(label.timeline()).toHaveAttribute('data-predictions', String(LABEL_VIDEO.clips - LABELLED - 1));
    await expect(page.getByTestId('prediction-readout')).toBeHidden();
    await expect(label.currentClip()).toHaveAttribute('data-class-id', String(accepted.classId));
  });

  await test.step('Ctrl+Z undoes the accept (the prediction is back); the readout’s button accepts it again', async () => {
    await label.press('Control+z');
    await expect.poll(() => labelOf(accepted.clipId)).toEqual({ classId: null, source: null });
    await expect(label.timeline()).toHaveAttribute('data-predictions', String(LABEL_VIDEO.clips - LABELLED));
    await page.getByTestId('prediction-readout').getByRole('button', { name: 'Accept prediction' }).click();
    await expect.poll(() => labelOf(accepted.clipId)).toEqual({ classId: accepted.classId, source: 'review' });
  });

  const expected = await test.step('review three more predictions through the API: accept, correct, reject', async () => {
    const page1 = await callApi<PredictionPage>(request, vssl, 'predictions:list', { runId: 1, unlabelledOnly: true, limit: 100 });
    const open = page1.items.filter((p) => p.clipId !== accepted.clipId);
    const [a, c, r] = open;
    if (!a || !c || !r) throw new Error('fewer than three unlabelled predictions');
    const other = (classId: number) => (classId === walk.id ? run.id : walk.id);
    await callApi(request, vssl, 'review:apply', { runId: 1, clipId: a.clipId, action: 'accept' });
    await callApi(request, vssl, 'review:apply', { runId: 1, clipId: c.clipId, action: 'correct', classId: other(c.classId) });
    await callApi(request, vssl, 'review:apply', { runId: 1, clipId: r.clipId, action: 'reject' });
    const counts = new Map<number, { reviewed: number; accepted: number; corrected: number; rejected: number }>();
    const add = (classId: number, key: 'accepted' | 'corrected' | 'rejected') => {
      const row = counts.get(classId) ?? { reviewed: 0, accepted: 0, corrected: 0, rejected: 0 };
      row.reviewed++;
      row[key]++;
      counts.set(classId, row);
    };
    add(accepted.classId, 'accepted');
    add(a.classId, 'accepted');
    add(c.classId, 'corrected');
    add(r.classId, 'rejected');
    const quality = await callApi<ReviewQuality>(request, vssl, 'review:quality', { runId: 1 });
    expect(quality.reviewed).toBe(4);
    return counts;
  });

  await test.step('the Train view shows the run’s acceptance per class and the reliability diagram', async () => {
    await app.goTo('Train');
    const quality = new QualityPanel(train.detailOf(1));
    await expect(quality.panel()).toHaveAttribute('data-reviewed', '4');
    for (const [classId, row] of expected) {
      const shown = quality.row(classId);
      await expect(shown.getByTestId('quality-reviewed')).toHaveText(String(row.reviewed));
      await expect(shown.getByTestId('quality-accepted')).toHaveText(String(row.accepted));
      await expect(shown.getByTestId('quality-corrected')).toHaveText(String(row.corrected));
      await expect(shown.getByTestId('quality-rejected')).toHaveText(String(row.rejected));
      await expect(shown.getByTestId('quality-rate')).toHaveText(`${Math.round((row.accepted / row.reviewed) * 100)} %`);
    }
    await expect(quality.panel().getByTestId('reliability-diagram')).toHaveAttribute('data-bins', /^[1-9]\d*$/);
    await expect(quality.panel().getByTestId('quality-ece')).toHaveText(/^\d+ %$/);
  });

  await test.step('the Models view shows run 1 as the first round', async () => {
    await app.goTo('Models');
    await expect(models.rows()).toHaveCount(1);
    await expect(models.row(1).getByTestId('round-labels')).toHaveText(String(LABELLED));
    await expect(models.row(1).getByTestId('round-review-labels')).toHaveText('0');
    await expect(models.chart()).toHaveAttribute('data-rounds', '1');
  });

  await test.step('"Retrain with my corrections" starts run 2 from run 1, learning from the reviewed clips too', async () => {
    await models.retrainButton().click();
    await expect(models.started()).toHaveAttribute('data-run-id', '2');
    await expect(models.rows()).toHaveCount(2);
    await expect(models.row(2)).toHaveAttribute('data-parent-run-id', '1');
    await expect(models.row(2).getByTestId('round-number')).toHaveText('2');
    const second = await waitForRun(request, vssl, 2);
    expect(second.method).toBe('supervised');
    expect(second.settings).toEqual((await callApi<RunDto>(request, vssl, 'runs:get', { id: 1 })).settings);
    const rounds = await callApi<RoundDto[]>(request, vssl, 'runs:rounds', {});
    expect(rounds.map((r) => [r.runId, r.parentRunId, r.labels, r.reviewLabels])).toEqual([
      [1, null, LABELLED, 0],
      // The two accepts and the correction became labels; the rejection did not.
      [2, 1, LABELLED + 3, 3],
    ]);
    await expect(models.row(2).getByTestId('round-review-labels')).toHaveText('3');
    await expect(models.chart()).toHaveAttribute('data-rounds', '2');
  });

  await test.step('the Label view’s lane follows the newest finished run', async () => {
    await app.goTo('Label');
    await expect(label.timeline()).toHaveAttribute('data-prediction-run', '2');
    await expect(label.timeline()).toHaveAttribute('data-predictions', String(LABEL_VIDEO.clips - LABELLED - 3));
  });
  expect(app.pageErrors).toEqual([]);
});
