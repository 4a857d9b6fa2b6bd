import path from 'node:path';
import { expect, MANY_COUNT, test } from './fixtures/test.js';

test('cancels a long import from the task panel', async ({ app, workDir, manyFolder }) => {
  await app.start.createProject(path.join(workDir, 'project'));
  await app.library.openImport();
  await app.importDialog.browseTo(path.dirname(manyFolder));
  await app.importDialog.select(path.basename(manyFolder));
  await app.importDialog.start();

  const job = app.tasks.importJob();
  await test.step('the job shows up running with a progress bar', async () => {
    await expect(job).toBeVisible();
    await expect(job.getByRole('progressbar')).toBeVisible();
  });

  await app.tasks.cancel(job);

  await test.step('the job ends cancelled and only part of the folder was imported', async () => {
    await app.tasks.expectState(job, 'Cancelled', 20_000);
    await expect(job.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
    // Settled: the list matches the database once the final refresh lands.
    const count = await app.page.evaluate(async () => {
      const response = await fetch('/api/videos:list', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      const body = (await response.json()) as { result: unknown[] };
      return body.result.length;
    });
    test.info().annotations.push({ type: 'imported before the cancel', description: `${count} of ${MANY_COUNT}` });
    expect(count).toBeLessThan(MANY_COUNT);
    await expect(app.library.count()).toHaveText(new RegExp(`^${count} videos?$`));
  });

  await test.step('finished jobs can be cleared', async () => {
    await app.tasks.region().getByRole('button', { name: 'Clear finished' }).click();
    await expect(app.tasks.jobs()).toHaveCount(0);
  });

  expect(app.pageErrors).toEqual([]);
});
