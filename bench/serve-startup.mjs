#!/usr/bin/env node
// How fast `vssl serve` starts on a project and how much memory its main process holds once the UI's
// start-up calls are answered: spawn to the printed URL, then the calls, then VmRSS and VmHWM from
// /proc (Linux). Each run starts a fresh process on the same project; the median of --runs is reported.
//
//   node bench/serve-startup.mjs [--runs 9] [--smoke]
//   VSSL_CLI=/path/to/other/checkout/bin/vssl.js node bench/serve-startup.mjs   # another build, same project
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { argsWithoutSmoke, report, requireBuilt, round, serve, SMOKE, summary } from './lib/harness.mjs';
import { residentMemory } from './lib/process-watch.mjs';
import { cliEntry } from './lib/vssl-cli.mjs';

const { values } = parseArgs({ args: argsWithoutSmoke(), options: { runs: { type: 'string', default: SMOKE ? '2' : '9' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench: --runs takes a whole number ≥ 1.');
  process.exit(2);
}
if (!process.env.VSSL_CLI) requireBuilt();

// What the UI asks for as it opens a project (the views' first calls).
const STARTUP_CALLS = ['app:info', 'project:current', 'videos:list', 'jobs:list', 'classes:list', 'train:options', 'runs:list', 'anomaly:options', 'anomaly:runs'];

/** The main process's resident memory now and at its peak, in MiB. */
function memoryOf(pid) {
  const memory = residentMemory(pid);
  if (memory === null) throw new Error(`bench: vssl serve (pid ${pid}) is gone before its memory was read`);
  return { rssMiB: memory.rss / 2 ** 20, peakMiB: memory.hwm / 2 ** 20 };
}

async function oneRun(project, userData) {
  const started = performance.now();
  const server = await serve(project, { ...process.env, VSSL_USER_DATA: userData }, cliEntry);
  try {
    const listeningMs = performance.now() - started;
    for (const method of STARTUP_CALLS) await server.api(method, {});
    const readyMs = performance.now() - started;
    return { listeningMs, readyMs, ...memoryOf(server.pid) };
  } finally {
    await server.stop();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-bench-serve-'));
try {
  const project = path.join(dir, 'project');
  const userData = path.join(dir, 'user');
  await oneRun(project, userData); // creates the project, warms the disk cache
  const rows = [];
  for (let i = 0; i < runs; i++) rows.push(await oneRun(project, userData));
  const median = (key) => summary(rows.map((r) => r[key])).median;
  report({
    bench: 'serve-startup',
    cli: path.relative(process.cwd(), cliEntry) || cliEntry,
    runs,
    listeningMs: median('listeningMs'),
    readyMs: median('readyMs'),
    rssMiB: median('rssMiB'),
    peakMiB: median('peakMiB'),
    perRun: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]))),
  });
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
