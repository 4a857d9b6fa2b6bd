import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import { cliRunner } from '../../tests/fixtures/cli-runner.js';
import { ensureCliBuilt } from '../../tests/fixtures/run-cli.js';
import { Core } from '../core/core.js';
import type { DownloadDto } from '../shared/web-files.js';
import { startWebServer, type WebServer } from './web-server.js';

/**
 * Exports that are more than one file, downloaded as a browser would: a trained model (a folder,
 * offered file by file) and a run's predictions, from a project with a real one-epoch run.
 */
let tmp: string;
let core: Core;
let server: WebServer;
let runId: number;
const TINY = ['--frames', '4', '--size', '16', '--width', '4', '--depth', '2', '--batch-size', '2', '--mu', '2'];
const { ok } = cliRunner(() => tmp);

beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-downloads-'));
  const footage = path.join(tmp, 'footage');
  for (let i = 0; i < 2; i++) {
    await makeVideo(path.join(footage, `card-${i}.mp4`), { seconds: 2, fps: '10', width: 64, height: 48, title: `c${i}` });
    await makeVideo(path.join(footage, `fractal-${i}.mp4`), { seconds: 2, fps: '10', width: 64, height: 48, pattern: 'mandelbrot', title: `f${i}` });
  }
  await ok('init', 'project');
  await ok('import', 'project', footage);
  const csv = path.join(footage, 'labels.csv');
  fs.writeFileSync(csv, ['path,start,end,label', 'card-0.mp4,0,2,card', 'fractal-0.mp4,0,2,fractal'].join('\n'));
  await ok('labels', 'import', 'project', csv, '--format', 'csv');
  const trained = JSON.parse(await ok('train', 'project', '--method', 'fixmatch', '--epochs', '1', '--no-flip', ...TINY, '--json')) as { runId: number };
  runId = trained.runId;
  core = new Core({ mode: 'web', userDataDir: path.join(tmp, 'user') });
  await core.call('project:open', { path: path.join(tmp, 'project') });
  server = await startWebServer(core, { port: 0, rendererDir: path.join(tmp, 'no-renderer') });
}, 240_000);

afterAll(async () => {
  await server?.close();
  await core?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const auth = () => ({ Authorization: `Bearer ${server.token}` });
const base = () => `http://127.0.0.1:${server.port}/`;

async function exportForDownload(method: string, name: string, params: object): Promise<{ report: unknown; download: DownloadDto }> {
  const response = await fetch(`${base()}export/${method}`, {
    method: 'POST',
    headers: { ...auth(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, params }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return (JSON.parse(text) as { result: { report: unknown; download: DownloadDto } }).result;
}

describe('web mode: downloads of folders and of run outputs', () => {
  it('offers a model export file by file, each byte for byte what the export wrote', async () => {
    const { report, download } = await exportForDownload('models:export', 'bees-model', { runId });
    const { dir, files } = report as { dir: string; files: string[] };
    const names = download.files.map((f) => f.name);
    expect(names).toContain('bees-model/model.json');
    expect(names).toContain('bees-model/metadata.json');
    expect(names.length).toBe(files.length);
    for (const file of download.files) {
      const answer = await fetch(`${base()}${file.url}`, { headers: auth() });
      expect(answer.status, file.name).toBe(200);
      const body = Buffer.from(await answer.arrayBuffer());
      expect(body.equals(fs.readFileSync(path.join(dir, file.name.slice('bees-model/'.length)))), file.name).toBe(true);
      expect(answer.headers.get('content-disposition')).toContain(`filename="${path.posix.basename(file.name)}"`);
    }
    const metadata = JSON.parse(fs.readFileSync(path.join(dir, 'metadata.json'), 'utf8')) as { classes: { name: string }[] };
    expect(metadata.classes.map((c) => c.name).sort()).toEqual(['card', 'fractal']);
    // Once the server stops, what it wrote for downloads is gone; the project's own data is not.
    await server.close();
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'project', 'project.vssl'))).toBe(true);
    server = await startWebServer(core, { port: 0, rendererDir: path.join(tmp, 'no-renderer') });
    expect((await fetch(`${base()}${download.files[0]!.url}`, { headers: auth() })).status).toBe(404);
  });

  it('downloads a run\'s predictions as csv', async () => {
    const { report, download } = await exportForDownload('predictions:export', 'predictions.csv', { runId, format: 'csv' });
    expect(download.files.map((f) => f.name)).toEqual(['predictions.csv']);
    const answer = await fetch(`${base()}${download.files[0]!.url}`, { headers: auth() });
    const lines = (await answer.text()).trim().split('\n');
    expect(lines.length - 1).toBe((report as { rows: number }).rows);
    expect(lines[0]).toMatch(/^path,start,end,label,confidence/);
  });
});
