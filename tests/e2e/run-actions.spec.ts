/// <reference lib="dom" />
/**
 * A finished run's actions in the Train view: "Predict again…" with MC-dropout passes (progress in
 * the task panel, the run's predictions replaced when it ends) and "Export predictions…" in each
 * format the API writes, with the rows written shown.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClassDto } from '../../src-main/shared/dto.js';
import type { RunDto } from '../../src-main/shared/run-dto.js';
import { callApi, expect, LABEL_VIDEO, listClips, test } from './fixtures/label-project.js';
import { TrainPage } from './pages/train-page.js';

/** The smallest real run that predicts every clip; no MC dropout, so no uncertainty yet. */
const TINY_RUN = { method: 'supervised', frames: 4, size: 16, batchSize: 2, epochs: 1, validationFraction: 0, mcPasses: 0 };

/** The uncertainty column of a predictions csv, one entry per row. */
function uncertainties(file: string): string[] {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n');
  expect(header).toBe('path,start,end,label,confidence,uncertainty');
  return rows.map((row) => row.split(',').at(-1) ?? '');
}

test('predict again with MC dropout, then export the predictions as csv and ActivityNet JSON', async ({
  app,
  vssl,
  labelProject,
  workDir,
}) => {
  test.setTimeout(180_000);
  const page = app.page;
  const train = new TrainPage(page);
  const dialog = page.getByRole('dialog');

  const runId = await test.step('a tiny real run on two labelled classes', async () => {
    const clips = await listClips(page.request, vssl, labelProject.videoId);
    const create = (name: string) => callApi<ClassDto>(page.request, vssl, 'classes:create', { name });
    const [a, b] = [await create('a'), await create('b')];
    for (const [i, cls] of [[0, a], [1, a], [10, b], [11, b]] as const) {
      await callApi(page.request, vssl, 'labels:set', { clipId: clips[i]?.id, classId: cls.id });
    }
    const started = await callApi<RunDto>(page.request, vssl, 'train:start', { settings: TINY_RUN, name: 'actions e2e' });
    return started.id;
  });

  await app.goTo('Train');
  await train.waitForStatus(runId, 'Finished');
  await train.showRun(runId);
  const run = train.detailOf(runId);

  const first = path.join(workDir, 'exports', 'first.csv');
  await test.step('export the predictions as csv: one row per clip, no uncertainty yet', async () => {
    await run.getByRole('button', { name: 'Export predictions…' }).click();
    await dialog.getByRole('radio', { name: 'A folder on the server' }).check();
    await expect(dialog.getByRole('combobox', { name: 'Format' })).toHaveValue('csv');
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(path.dirname(first));
    await dialog.getByRole('textbox', { name: 'File name' }).fill(path.basename(first));
    await dialog.getByRole('button', { name: 'Export' }).click();
    await expect(dialog.getByTestId('export-summary')).toHaveText(`Wrote ${LABEL_VIDEO.clips} predictions to ${first}`);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    expect(uncertainties(first)).toEqual(Array.from({ length: LABEL_VIDEO.clips }, () => ''));
  });

  await test.step('predict again with 3 MC-dropout passes: a job in the task panel, then new predictions', async () => {
    await run.getByRole('button', { name: 'Predict again…' }).click();
    const passes = dialog.getByRole('textbox', { name: /MC-dropout passes/ });
    await passes.fill('101');
    await expect(dialog.getByRole('alert')).toHaveText('MC-dropout passes are a whole number from 0 to 100.');
    await expect(dialog.getByRole('button', { name: 'Predict' })).toBeDisabled();
    await passes.fill('3');
    await dialog.getByRole('button', { name: 'Predict' }).click();
    await expect(dialog).toBeHidden();
    await app.tasks.expand();
    const job = app.tasks.region().getByRole('listitem', { name: `Predict with run ${runId}` });
    await app.tasks.expectState(job, 'Done', 90_000);
    await train.waitForStatus(runId, 'Finished');
  });

  await test.step('the export now carries the MC-dropout uncertainty of every clip', async () => {
    const second = path.join(workDir, 'exports', 'second.csv');
    await run.getByRole('button', { name: 'Export predictions…' }).click();
    await dialog.getByRole('radio', { name: 'A folder on the server' }).check();
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(path.dirname(second));
    await dialog.getByRole('textbox', { name: 'File name' }).fill(path.basename(second));
    await dialog.getByRole('button', { name: 'Export' }).click();
    await expect(dialog.getByTestId('export-summary')).toHaveText(`Wrote ${LABEL_VIDEO.clips} predictions to ${second}`);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    const values = uncertainties(second);
    expect(values).toHaveLength(LABEL_VIDEO.clips);
    for (const value of values) expect(Number(value)).toBeGreaterThanOrEqual(0);
    expect(values.every((value) => value !== '')).toBe(true);
  });

  await test.step('ActivityNet JSON: the file name follows the format, every clip is a result', async () => {
    await run.getByRole('button', { name: 'Export predictions…' }).click();
    await dialog.getByRole('radio', { name: 'A folder on the server' }).check();
    await dialog.getByRole('combobox', { name: 'Format' }).selectOption('activitynet');
    await expect(dialog.getByRole('textbox', { name: 'File name' })).toHaveAttribute('placeholder', `predictions-run-${runId}.json`);
    await dialog.getByRole('textbox', { name: 'Folder' }).fill(path.join(workDir, 'exports'));
    await dialog.getByRole('button', { name: 'Export' }).click();
    const file = path.join(workDir, 'exports', `predictions-run-${runId}.json`);
    await expect(dialog.getByTestId('export-summary')).toHaveText(`Wrote ${LABEL_VIDEO.clips} predictions to ${file}`);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { results: Record<string, unknown[]> };
    expect(Object.values(written.results).flat()).toHaveLength(LABEL_VIDEO.clips);
  });

  expect(app.pageErrors).toEqual([]);
});
