import type { WebSocketRoute } from '@playwright/test';
import path from 'node:path';
import { expect, test } from './fixtures/test.js';
import { VsslApp } from './pages/vssl-app.js';

/**
 * The event socket can drop (a laptop sleeps, a proxy times out). Events sent meanwhile are lost,
 * so after reconnecting the page must fetch the state again rather than show a stale picture.
 */
test('after the event socket drops and comes back, the page shows what changed meanwhile', async ({
  page,
  vssl,
  workDir,
  mixedFolder,
}) => {
  let connected = true;
  const sockets: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/events$/, (ws) => {
    if (!connected) {
      void ws.close({ code: 1001, reason: 'test: network down' });
      return;
    }
    ws.connectToServer();
    sockets.push(ws);
  });
  const app = new VsslApp(page);
  await app.open(vssl.url);
  await app.start.createProject(path.join(workDir, 'project'));
  const banner = page.getByRole('status').filter({ hasText: 'Connection lost' });

  const dropConnection = async () => {
    connected = false;
    for (const ws of sockets.splice(0)) await ws.close({ code: 1001, reason: 'test: network down' });
    await expect(banner).toBeVisible();
  };
  const api = async (method: string, params: object) => {
    const response = await page.request.post(`${vssl.origin}/api/${method}`, { data: params });
    expect(response.ok(), `${method}: ${await response.text()}`).toBe(true);
    return ((await response.json()) as { result: unknown }).result;
  };

  await test.step('an import runs to the end while the page hears nothing', async () => {
    await dropConnection();
    await api('videos:import', { paths: [mixedFolder], recursive: true });
    const anyActive = async () =>
      ((await api('jobs:list', {})) as { state: string }[]).some((job) => ['queued', 'running'].includes(job.state));
    await expect.poll(anyActive, { timeout: 30_000 }).toBe(false);
    await expect(app.library.rows()).toHaveCount(0);
  });

  await test.step('the socket comes back: videos and jobs are fetched again', async () => {
    connected = true;
    await expect(banner).toBeHidden({ timeout: 15_000 });
    await expect(app.library.rows()).toHaveCount(5);
    await app.tasks.expand();
    await app.tasks.expectState(app.tasks.importJob(), 'Done');
  });

  await test.step('the project closed elsewhere while disconnected: the page returns to the start screen', async () => {
    await dropConnection();
    await api('project:close', {});
    connected = true;
    await expect(app.start.heading()).toBeVisible({ timeout: 15_000 });
  });

  expect(app.pageErrors).toEqual([]);
});
