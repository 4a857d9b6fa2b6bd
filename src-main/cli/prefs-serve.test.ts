/**
 * The preferences through `vssl serve`, as the web UI reaches them: over HTTP, and the backend preference
 * reaching the engine's real worker thread (the compiled one), which says it chose the backend by preference.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli, startServe, type ServeRun } from '../../tests/fixtures/run-cli.js';

let tmp: string;
let serve: ServeRun | null = null;

beforeAll(() => ensureCliBuilt());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-prefs-serve-'));
});
afterEach(async () => {
  if (serve) {
    serve.child.kill('SIGTERM');
    await serve.exited;
    serve = null;
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function call(run: ServeRun, method: string, params: unknown = {}): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${run.info.port}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${run.info.token}` },
    body: JSON.stringify(params),
  });
  return response.json();
}

describe('preferences over HTTP', () => {
  it('are saved in the user-data folder, and the backend preference reaches the engine worker', async () => {
    expect((await runCli(tmp, 'init', 'project')).code).toBe(0);
    serve = await startServe(tmp, 'project');
    expect(await call(serve, 'prefs:set', { backend: 'cpu', theme: 'light' })).toEqual({
      result: { theme: 'light', backend: 'cpu', cpuThreads: 0, cacheLocation: null },
    });
    expect(JSON.parse(fs.readFileSync(path.join(tmp, 'user', 'preferences.json'), 'utf8'))).toMatchObject({ backend: 'cpu' });
    const options = (await call(serve, 'train:options')) as { result: { backend: { name: string; reason: string } } };
    expect(options.result.backend.name).toBe('cpu');
    expect(options.result.backend.reason).toMatch(/^chosen by preference: plain JavaScript/);
    expect(await call(serve, 'prefs:set', { cpuThreads: 'four' })).toMatchObject({
      error: { code: 'INVALID_PARAMS', message: expect.stringMatching(/cpuThreads/) },
    });
  });
});
