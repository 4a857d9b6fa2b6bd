// `vssl serve` as a person starts it, with Node's module hooks recording every module its main thread
// loads: the core, the server and every API the UI calls at start-up must load no TensorFlow.js and no
// worker/ folder (ARCHITECTURE.md, "one engine, two pipelines"). The engine's worker thread loads them
// when a job runs: the Train view's options ask it which backend it computes on, so it starts here, and the
// recorder watches the main thread only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI_BIN, ensureCliBuilt } from '../../tests/fixtures/run-cli.js';

let dir: string;
beforeAll(() => {
  ensureCliBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-serve-modules-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A preload that logs every ESM module the main thread resolves (hooks) and, at exit, every CommonJS module in its require.cache. */
function writeModuleRecorder(): { preload: string; esmLog: string; cjsLog: string } {
  const esmLog = path.join(dir, 'esm.log');
  const cjsLog = path.join(dir, 'cjs.log');
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(esmLog)}, resolved.url + '\\n');
  return resolved;
}
`,
  );
  const preload = path.join(dir, 'record-modules.mjs');
  fs.writeFileSync(
    preload,
    `import { writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { isMainThread } from 'node:worker_threads';
if (isMainThread) {
  register(${JSON.stringify(new URL(`file://${hooks}`).href)});
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => writeFileSync(${JSON.stringify(cjsLog)}, Object.keys(cache).join('\\n')));
}
`,
  );
  return { preload, esmLog, cjsLog };
}

async function api(origin: string, token: string, method: string, params: unknown = {}): Promise<unknown> {
  const response = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(params),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

it('vssl serve on a project loads no TensorFlow.js and no worker-side module on its main thread', async () => {
  const { preload, esmLog, cjsLog } = writeModuleRecorder();
  const project = path.join(dir, 'project');
  const child = spawn(process.execPath, ['--import', preload, CLI_BIN, 'serve', project, '--port', '0', '--json'], {
    env: { ...process.env, VSSL_USER_DATA: path.join(dir, 'user') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).once('line', resolve);
      void exited.then((code) => reject(new Error(`vssl serve exited with ${code}: ${stderr}`)));
    });
    const { url, token } = JSON.parse(line) as { url: string; token: string };
    const origin = new URL(url).origin;
    // What the UI asks for as it opens a project, the Train, Review, Anomaly and Models views included.
    for (const method of ['app:info', 'project:current', 'videos:list', 'jobs:list', 'classes:list', 'train:options', 'runs:list', 'anomaly:options', 'anomaly:runs']) {
      await api(origin, token, method);
    }
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);

  const loaded = [...new Set([...fs.readFileSync(esmLog, 'utf8').split('\n'), ...fs.readFileSync(cjsLog, 'utf8').split('\n')])].filter(Boolean);
  // The recorder saw the app itself: a hook that recorded nothing would let anything through.
  expect(loaded.some((m) => m.endsWith('/out/main/core/core.js'))).toBe(true);
  expect(loaded.some((m) => m.endsWith('/out/main/server/web-server.js'))).toBe(true);
  expect(loaded.filter((m) => m.includes('@tensorflow'))).toEqual([]);
  expect(loaded.filter((m) => /\/out\/main\/(.*\/)?worker\//.test(m))).toEqual([]);
});
