#!/usr/bin/env node
/**
 * The speed a person feels: `vssl train DIR --epochs 20` at the default input spec (8×64×64) on
 * 600 two-second clips (from the digit-video benchmark, 2 labelled per class), timed from the
 * command's start to its end: decoding, 20 epochs of FixMatch, and predicting every clip with
 * 10 MC-dropout passes. Target: within 20 minutes on this machine. Prints one JSON object.
 *
 * VSSL_CLI runs another build's CLI (see bench/lib/vssl-cli.mjs).
 *
 *   npm run build && node bench/train-wall-time.mjs [--clips 600] [--epochs 20] [--method fixmatch] [--threads N]
 *     [--data DIR (default: generated under the temp folder, reused when present)]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDigitVideos } from './digits/generate.mjs';
import { requireBuilt, round } from './lib/harness.mjs';
import { cliEntry } from './lib/vssl-cli.mjs';

const { values } = parseArgs({
  options: {
    clips: { type: 'string', default: '600' },
    epochs: { type: 'string', default: '20' },
    method: { type: 'string', default: 'fixmatch' },
    data: { type: 'string' },
    threads: { type: 'string' },
  },
});
requireBuilt();
const clips = Number(values.clips);
const dataDir = path.resolve(values.data ?? path.join(os.tmpdir(), 'vssl-bench-digits'));
await generateDigitVideos({ out: dataDir, train: Math.max(1000, clips), test: 500, seed: 1 });

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-wall-time-'));
const pool = path.join(root, 'pool');
fs.mkdirSync(pool);
const rows = fs.readFileSync(path.join(dataDir, 'train.csv'), 'utf8').trim().split('\n').slice(1, clips + 1);
const perClass = new Map();
const labels = ['path,start,end,label'];
for (const row of rows) {
  const [file, start, end, label] = row.split(',');
  fs.symlinkSync(path.resolve(dataDir, file), path.join(pool, path.basename(file)));
  const n = perClass.get(label) ?? 0;
  perClass.set(label, n + 1);
  if (n < 2) labels.push([path.basename(file), start, end, label].join(','));
}
fs.writeFileSync(path.join(pool, 'labels.csv'), `${labels.join('\n')}\n`);

function vssl(...args) {
  const run = spawnSync(process.execPath, [cliEntry, ...args], { encoding: 'utf8', env: { ...process.env, VSSL_USER_DATA: path.join(root, 'user') } });
  if (run.status !== 0) throw new Error(`vssl ${args.slice(0, 2).join(' ')} failed: ${run.stderr.trim()}`);
  return run.stdout;
}

const project = path.join(root, 'project');
vssl('init', project);
vssl('import', project, pool, '--json');
vssl('labels', 'import', project, path.join(pool, 'labels.csv'), '--format', 'csv');
const started = performance.now();
const threadFlag = values.threads === undefined ? [] : ['--threads', values.threads];
const run = JSON.parse(vssl('train', project, '--method', values.method, '--epochs', values.epochs, '--no-flip', ...threadFlag, '--json'));
const wallSec = (performance.now() - started) / 1000;
console.log(
  JSON.stringify(
    {
      bench: 'train-wall-time',
      clips,
      labelled: labels.length - 1,
      method: values.method,
      epochs: run.epochs,
      input: '8x64x64 (defaults)',
      backend: run.backend,
      backendReason: run.backendReason,
      wallMinutes: round(wallSec / 60),
      targetMinutes: 20,
      clipsPerSecond: run.metrics?.clipsPerSecond,
      predictions: run.predictions,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg().map((v) => round(v)) },
    },
    null,
    2,
  ),
);
fs.rmSync(root, { recursive: true, force: true });
