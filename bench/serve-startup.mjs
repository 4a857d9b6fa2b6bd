#!/usr/bin/env node
// How fast `vssl serve` starts on a project and how much memory its main process holds once the UI's
// start-up calls are answered: spawn to the printed URL, then the calls, then VmRSS and VmHWM from
// /proc (Linux). Each run starts a fresh process on the same project; the median of --runs is reported.
//
//   node bench/serve-startup.mjs [--runs 9] [--smoke]
//   VSSL_CLI=/path/to/other/checkout/bin/vssl.js node bench/serve-startup.mjs   # another build, same project
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { argsWithoutSmoke, report, requireBuilt, round, SMOKE, summary } from './lib/harness.mjs';
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

function memoryOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

async function oneRun(project, userData) {
  const started = performance.now();
  const child = spawn(process.execPath, [cliEntry, 'serve', project, '--port', '0', '--json'], {
    env: { ...process.env, VSSL_USER_DATA: userData },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const line = await new Promise((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).once('line', resolve);
      exited.then((code) => reject(new Error(`vssl serve exited with ${code}`)));
    });
    const listeningMs = performance.now() - started;
    const { url, token } = JSON.parse(line);
    const origin = new URL(url).origin;
    for (const method of STARTUP_CALLS) {
      const response = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: '{}',
      });
      const body = await response.json();
      if (body.error) throw new Error(`${method}: ${body.error.message}`);
    }
    const readyMs = performance.now() - started;
    return { listeningMs, readyMs, ...memoryOf(child.pid) };
  } finally {
    child.kill('SIGTERM');
    await exited;
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
