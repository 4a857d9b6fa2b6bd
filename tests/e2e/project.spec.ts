import path from 'node:path';
import { expect, test } from './fixtures/test.js';

test('creates a project through the folder browser, closes it and reopens it from the recent list', async ({
  app,
  workDir,
}) => {
  await expect(app.start.heading()).toBeVisible();
  await app.start.createProjectByBrowsing(workDir, 'birds', 'Bird colony');

  await test.step('the project is open, named, with an empty Library', async () => {
    await expect(app.projectName()).toHaveText('Bird colony');
    await expect(app.page.getByTestId('project-path')).toHaveText(path.join(workDir, 'birds'));
    await expect(app.page.getByText('No videos in this project yet.')).toBeVisible();
  });

  await test.step('the Anomaly view opens on a project without videos', async () => {
    await app.goTo('Anomaly');
    await expect(app.page.getByRole('heading', { name: 'Anomaly detection', level: 1 })).toBeVisible();
    await app.goTo('Library');
  });

  await test.step('close and reopen from the recent projects', async () => {
    await app.page.getByRole('button', { name: 'Close project' }).click();
    await expect(app.start.heading()).toBeVisible();
    await app.start.openRecent('Bird colony');
    await expect(app.projectName()).toHaveText('Bird colony');
  });

  expect(app.pageErrors).toEqual([]);
});

test('explains why a folder that is not a project cannot be opened', async ({ app, workDir }) => {
  await test.step('try to open a plain folder', async () => {
    const card = app.page.getByRole('region', { name: 'Open project' });
    await card.getByRole('textbox', { name: 'Project to open' }).fill(workDir);
    await card.getByRole('button', { name: 'Open project' }).click();
  });
  await expect(app.alerts().filter({ hasText: 'Could not open the project' })).toContainText('is not a VSSL project');
  await expect(app.start.heading()).toBeVisible();
});
