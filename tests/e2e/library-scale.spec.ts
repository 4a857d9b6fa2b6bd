import path from 'node:path';
import { makeSeededProject, seededName } from './fixtures/seed-library.js';
import { expect, test } from './fixtures/test.js';
import { startVsslServer } from './fixtures/vssl-server.js';
import { VsslApp } from './pages/vssl-app.js';

const COUNT = 5_000;

test('the Library keeps only the visible rows in the page, however many videos there are', async ({
  page,
  workDir,
}) => {
  const projectDir = path.join(workDir, 'project');
  const userData = path.join(workDir, 'user-data');
  await test.step(`a project with ${COUNT} videos`, async () => {
    await makeSeededProject(projectDir, path.join(workDir, 'footage'), userData, COUNT);
  });
  const server = await startVsslServer({ userDataDir: userData, projectDir });
  try {
    const app = new VsslApp(page);
    await app.open(server.url);
    await expect(app.library.count()).toHaveText('5,000 videos');

    await test.step('only a screenful of rows exists in the DOM', async () => {
      await expect(app.library.row(seededName(1))).toBeVisible();
      expect(await app.library.rows().count()).toBeLessThan(60);
    });

    await test.step('scrolling to the end shows the last video', async () => {
      await app.library.table().evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(app.library.row(seededName(COUNT))).toBeVisible();
      expect(await app.library.rows().count()).toBeLessThan(60);
    });

    await test.step('search finds one video among thousands', async () => {
      await app.library.search(seededName(4321));
      await expect(app.library.rows()).toHaveCount(1);
      await expect(app.library.count()).toHaveText('1 of 5,000 videos');
    });
    expect(app.pageErrors).toEqual([]);
  } finally {
    await server.stop();
  }
});
