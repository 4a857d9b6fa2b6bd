import type { APIRequestContext } from '@playwright/test';
import type { ClassDto, ClipDto } from '../../src-main/shared/dto.js';
import type { RunDto } from '../../src-main/shared/run-dto.js';
import type { EvaluationClipDto, RunEvaluationDto } from '../../src-main/shared/run-evaluation.js';
import { callApi, expect, listClips, test } from './fixtures/label-project.js';
import type { VsslServer } from './fixtures/vssl-server.js';
import { ModelsPage } from './pages/models-page.js';
import { ReviewPage } from './pages/review-page.js';
import { TrainPage } from './pages/train-page.js';

/** A 1-epoch supervised run on 4×16×16 clips holding half of each class out to validate: seconds on wasm. */
const TINY = { method: 'supervised', epochs: 1, frames: 4, size: 16, width: 4, depth: 1, batchSize: 2, validationFraction: 0.5 } as const;

async function waitForRun(request: APIRequestContext, vssl: VsslServer, id: number): Promise<RunDto> {
  const get = () => callApi<RunDto>(request, vssl, 'runs:get', { id });
  await expect.poll(async () => (await get()).status, { timeout: 90_000, intervals: [500] }).toBe('succeeded');
  return get();
}

const score = (value: number | null) => (value === null ? '—' : value.toFixed(3));

test('the confusion matrix and per-class scores of a run; a cell lists its clips and opens them in Review', async ({ app, vssl, labelProject }) => {
  // A real training run (decode, train, predict) on a tiny input.
  test.setTimeout(150_000);
  const page = app.page;
  const request = page.request;
  const train = new TrainPage(page);
  const review = new ReviewPage(page);
  const models = new ModelsPage(page);

  const { run, evaluation } = await test.step('label three clips each of "walk" and "run" and train a run that validates on two of each', async () => {
    const clips = (await listClips(request, vssl, labelProject.videoId)).filter((c: ClipDto) => c.origin === 'auto');
    const create = (name: string) => callApi<ClassDto>(request, vssl, 'classes:create', { name });
    const walk = await create('walk');
    const runClass = await create('run');
    for (const [i, cls] of [walk, walk, walk, runClass, runClass, runClass].entries()) {
      await callApi(request, vssl, 'labels:set', { clipId: clips[i]?.id, classId: cls.id });
    }
    const started = await callApi<RunDto>(request, vssl, 'train:start', { settings: TINY });
    const run = await waitForRun(request, vssl, started.id);
    const evaluation = await callApi<RunEvaluationDto>(request, vssl, 'runs:evaluation', { id: run.id });
    if (!evaluation.computed) throw new Error(`no evaluation: ${evaluation.reason}`);
    expect(evaluation.classes.map((c) => c.name)).toEqual(['walk', 'run']);
    expect(evaluation.total).toBe(4);
    return { run, evaluation };
  });

  const panel = page.getByTestId('evaluation-panel');
  const cell = (truth: string, predicted: string) =>
    panel.locator(`[data-testid="matrix-cell"][data-true="${truth}"][data-predicted="${predicted}"]`);

  await test.step('the Train view shows the matrix (rows: true class) and the scores per class beside the charts', async () => {
    await app.goTo('Train');
    await train.showRun(run.id);
    await expect(panel).toContainText('Final model on 4 validation clips');
    for (const [i, truth] of ['walk', 'run'].entries()) {
      for (const [j, predicted] of ['walk', 'run'].entries()) {
        await expect(cell(truth, predicted)).toHaveText(String(evaluation.matrix[i]?.[j]));
      }
    }
    const rows = panel.getByTestId('class-scores-row');
    await expect(rows).toHaveCount(2);
    for (const [i, c] of evaluation.perClass.entries()) {
      await expect(rows.nth(i).getByRole('cell')).toHaveText([score(c.precision), score(c.recall), score(c.f1), String(c.support)]);
    }
    await expect(panel.getByTestId('evaluation-macro-f1')).toHaveText(score(evaluation.macro.f1));
  });

  await test.step('the share view divides each row by its true class', async () => {
    await panel.getByTestId('matrix-normalise').check();
    const walkRight = evaluation.matrix[0]?.[0] ?? 0;
    await expect(cell('walk', 'walk')).toHaveText(`${Math.round((walkRight / 2) * 100)} %`);
    await panel.getByTestId('matrix-normalise').uncheck();
    await expect(cell('walk', 'walk')).toHaveText(String(walkRight));
  });

  const [truth, predicted] = evaluation.matrix[0]?.[0] ? ['walk', 'walk'] : ['walk', 'run'];
  const cellClips = await test.step(`clicking the ${truth} → ${predicted} cell lists its clips`, async () => {
    const [truthClass, predictedClass] = [truth, predicted].map((name) => evaluation.classes.find((c) => c.name === name));
    const clips = await callApi<EvaluationClipDto[]>(request, vssl, 'runs:evaluation:clips', {
      id: run.id,
      trueClassId: truthClass?.id,
      predictedClassId: predictedClass?.id,
    });
    expect(clips.length).toBeGreaterThan(0);
    await cell(truth, predicted).click();
    const list = panel.getByTestId('cell-clips');
    await expect(list.getByRole('heading')).toHaveText(`${truth} predicted as ${predicted}`);
    await expect(list.getByTestId('cell-clip')).toHaveCount(clips.length);
    return clips;
  });

  await test.step('"Open in Review" shows exactly those clips there, labelled ones included', async () => {
    await panel.getByTestId('cell-open-review').click();
    await expect(review.view()).toBeVisible();
    await expect(page.getByTestId('clip-filter')).toContainText(`Only the ${cellClips.length} validation clip`);
    const shown = await review.waitForClip();
    expect(cellClips.map((c) => c.clipId)).toContain(shown.clipId);
    await expect(review.position()).toContainText(`of ${cellClips.length}`);
    await page.getByTestId('clip-filter').getByRole('button', { name: 'Show all clips' }).click();
    await expect(page.getByTestId('clip-filter')).toHaveCount(0);
  });

  await test.step('the Models view lists F1 per class for each round', async () => {
    await app.goTo('Models');
    const row = models.view().locator(`[data-testid="f1-row"][data-run-id="${run.id}"]`);
    const f1 = evaluation.perClass.map((c) => score(c.f1));
    await expect(row.getByRole('cell')).toHaveText([score(evaluation.macro.f1), ...f1]);
  });
});
