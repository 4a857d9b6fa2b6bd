/**
 * Predictions made elsewhere, reviewed in the browser: a person imports a predictions csv from the
 * Review view (web mode, the file picked on the server), reviews one imported pseudo-label with the
 * keyboard, and the clip a person labelled keeps its label.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClassDto, ClipDto, VideoDto } from '../../src-main/shared/dto.js';
import type { RunDto } from '../../src-main/shared/run-dto.js';
import { callApi, expect, listClips, test } from './fixtures/label-project.js';
import { ReviewPage } from './pages/review-page.js';

test('import a predictions csv in Review, accept one imported pseudo-label, and the human label survives', async ({ app, vssl, workDir }) => {
  const page = app.page;
  const request = page.request;
  const review = new ReviewPage(page);

  const [video] = await callApi<VideoDto[]>(request, vssl, 'videos:list', {});
  if (!video) throw new Error('the project has no video');
  const clips = await listClips(request, vssl, video.id);
  const walk = await callApi<ClassDto>(request, vssl, 'classes:create', { name: 'walk' });
  const run = await callApi<ClassDto>(request, vssl, 'classes:create', { name: 'run' });
  const [first, second, third] = clips as [ClipDto, ClipDto, ClipDto];
  await callApi(request, vssl, 'labels:set', { clipId: first.id, classId: walk.id });

  // What another tool predicted, one row per clip, classes written in another case.
  const folder = path.join(workDir, 'elsewhere');
  fs.mkdirSync(folder, { recursive: true });
  const row = (clip: ClipDto, label: string, confidence: number) => `${video.path},${clip.startSec},${clip.endSec},${label},${confidence}`;
  fs.writeFileSync(
    path.join(folder, 'external.csv'),
    ['path,start,end,label,confidence', row(first, 'Run', 0.8), row(second, 'RUN', 0.55), row(third, 'walk', 0.7), `${video.path},0,999,walk,0.9`].join('\n'),
  );

  await app.goTo('Review');
  await expect(review.empty()).toContainText('No predictions to review yet');
  await review.importPredictions(folder, 'external.csv');
  const dialog = review.importDialog();
  await expect(dialog.getByTestId('prediction-import-summary')).toHaveText('Imported 3 predictions as run 1 (Imported external.csv).');
  await expect(dialog.getByRole('list', { name: 'Skipped entries' })).toContainText("line 5 out of range: ends at 999 s, past the video's end");
  await expect(dialog).toContainText('1 of the 3 clips already has a label: labels stay, and review leaves those clips out.');
  await dialog.getByRole('button', { name: 'Review run 1' }).click();
  await expect(dialog).toBeHidden();

  await expect(review.runPicker()).toHaveValue('1');
  await expect(review.runPicker().locator('option:checked')).toHaveText(/imported$/);
  await expect(review.view().getByTestId('review-run-source')).toContainText('Imported from external.csv (csv)');
  // Least confidence first: the 0.55 "run" on the second clip; the first clip is a person's.
  const shown = await review.waitForClip();
  expect(shown).toEqual({ clipId: second.id, predictedClassId: run.id });
  await expect(review.position()).toHaveText('1 of 2 · 2 pending');
  await review.pressAndMoveOn('Enter', shown, 'accept the imported pseudo-label');

  const after = new Map((await listClips(request, vssl, video.id)).map((c) => [c.id, c]));
  expect(after.get(second.id)).toMatchObject({ classId: run.id, labelSource: 'review' });
  expect(after.get(first.id)).toMatchObject({ classId: walk.id, labelSource: 'human' });
  const runs = await callApi<RunDto[]>(request, vssl, 'runs:list', {});
  expect(runs.map((r) => [r.id, r.origin, r.hasModel, r.source?.format])).toEqual([[1, 'imported', false, 'csv']]);
  expect(app.pageErrors).toEqual([]);
});
