#!/usr/bin/env node
/**
 * The speed a person feels: `vssl train DIR --epochs 20` at the default input spec (8×64×64) on
 * 600 two-second clips (from the digit-video benchmark, 2 labelled per class), timed from the
 * command's start to its end: decoding, 20 epochs of FixMatch, and predicting every clip with
 * 10 MC-dropout passes. Target: within 20 minutes on this machine. Prints one JSON object with the
 * machine record.
 *
 * While it runs, the CLI process is watched from outside (Linux /proc, bench/lib/process-watch.mjs):
 *  --thread-busy       each thread's busy share (CPU time over wall time) during epochs 2..E (from the end
 *                      of the first epoch to the end of the last, read off the project's metrics table, so
 *                      decoding and the final predictions are left out), the busiest first;
 *  --resident-memory   the process's peak resident memory (VmHWM) and its resident memory at the end of
 *                      each epoch.
 *
 * VSSL_CLI runs another build's CLI (see bench/lib/vssl-cli.mjs).
 *
 *   npm run build && node bench/train-wall-time.mjs [--clips 600] [--epochs 20] [--method fixmatch] [--threads N]
 *     [--data DIR (default: generated under the temp folder, reused when present)] [--thread-busy] [--resident-memory]
 *     [--frames T] [--size S] [--smoke]
 * --smoke: 30 clips (20 labelled), 2 epochs at 4×16×16, both watches on, its own data folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { generateDigitVideos } from './digits/generate.mjs';
import { report, requireBuilt, round, SMOKE } from './lib/harness.mjs';
import { busyShares } from './lib/process-watch.mjs';
import { vssl as runVssl, vsslWatched } from './lib/vssl-cli.mjs';

const { values } = parseArgs({
  options: {
    clips: { type: 'string', default: SMOKE ? '30' : '600' },
    epochs: { type: 'string', default: SMOKE ? '2' : '20' },
    method: { type: 'string', default: 'fixmatch' },
    data: { type: 'string' },
    threads: { type: 'string' },
    frames: { type: 'string', default: SMOKE ? '4' : undefined },
    size: { type: 'string', default: SMOKE ? '16' : undefined },
    'thread-busy': { type: 'boolean', default: SMOKE },
    'resident-memory': { type: 'boolean', default: SMOKE },
    smoke: { type: 'boolean', default: false },
  },
});
requireBuilt();
const clips = Number(values.clips);
// The smoke run's tiny data set has a folder of its own, so it never replaces the full one.
const dataDir = path.resolve(values.data ?? path.join(os.tmpdir(), SMOKE ? 'vssl-bench-digits-smoke' : 'vssl-bench-digits'));
await generateDigitVideos({ out: dataDir, train: SMOKE ? clips : Math.max(1000, clips), test: SMOKE ? 10 : 500, seed: 1 });

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-wall-time-'));
// Removed however the script ends (a failed `vssl` command throws).
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
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

const env = { ...process.env, VSSL_USER_DATA: path.join(root, 'user') };

/** Runs `vssl ARGS` quietly in this benchmark's environment; with `watch`, samples the process while it runs. */
const vssl = (args, watch = null) =>
  watch ? vsslWatched(args, watch, { env, quiet: true }) : runVssl(args, { env, quiet: true }).then((stdout) => ({ stdout, samples: [] }));

const project = path.join(root, 'project');
await vssl(['init', project]);
await vssl(['import', project, pool, '--json']);
await vssl(['labels', 'import', project, path.join(pool, 'labels.csv'), '--format', 'csv']);

// The epoch a run has finished, read from the project's metrics as the run writes them (an epoch's own rows
// come at its end; the per-step rows, named step/…, carry the epoch in progress).
const db = new Database(path.join(project, 'project.vssl'), { readonly: true });
const epochQuery = db.prepare("SELECT MAX(epoch) AS epoch FROM metrics WHERE name NOT LIKE 'step/%'");
const epochDone = () => {
  try {
    return { epoch: epochQuery.get()?.epoch ?? 0 };
  } catch {
    return { epoch: 0 }; // the writer holds a lock for a moment: the next sample reads it
  }
};
const watching = values['thread-busy'] || values['resident-memory'];

const started = performance.now();
const flags = [
  ...(values.threads === undefined ? [] : ['--threads', values.threads]),
  ...(values.frames === undefined ? [] : ['--frames', values.frames]),
  ...(values.size === undefined ? [] : ['--size', values.size]),
];
const trained = await vssl(['train', project, '--method', values.method, '--epochs', values.epochs, '--no-flip', ...flags, '--json'],
  watching ? { intervalMs: SMOKE ? 250 : 1000, extra: epochDone } : null);
const wallSec = (performance.now() - started) / 1000;
db.close();
const run = JSON.parse(trained.stdout);
const samples = trained.samples;

/** Busy share of each thread during epochs 2..E; the whole run when too few samples fall in that window. */
function threadBusy() {
  const from = samples.find((s) => s.epoch >= 1);
  const to = samples.find((s) => s.epoch >= run.epochs);
  const epochsWindow = from && to && to.seconds - from.seconds >= 1;
  const [a, b] = epochsWindow ? [from, to] : [samples[0], samples[samples.length - 1]];
  if (!a || !b) return null;
  return {
    window: epochsWindow ? `epochs 2..${run.epochs}` : 'whole run (epochs too short to sample apart)',
    seconds: round(b.seconds - a.seconds),
    samples: samples.filter((s) => s.seconds >= a.seconds && s.seconds <= b.seconds).length,
    threads: busyShares(a, b).slice(0, 6),
  };
}

function residentMemory() {
  if (samples.length === 0) return null;
  const mib = (bytes) => Math.round(bytes / 2 ** 20);
  const peak = Math.max(...samples.map((s) => Math.max(s.rss, s.hwm)));
  const atEpochEnd = [];
  for (let e = 1; e <= run.epochs; e++) {
    const s = samples.find((x) => x.epoch >= e);
    if (s) atEpochEnd.push(mib(s.rss));
  }
  return { peakMiB: mib(peak), peakGiB: round(peak / 2 ** 30), atEpochEndMiB: atEpochEnd, samples: samples.length };
}

report(
  {
    bench: 'train-wall-time',
    clips,
    labelled: labels.length - 1,
    method: values.method,
    epochs: run.epochs,
    input: values.frames || values.size ? `${values.frames ?? 'default'} frames, ${values.size ?? 'default'} px` : '8x64x64 (defaults)',
    backend: run.backend,
    backendReason: run.backendReason,
    wallMinutes: round(wallSec / 60),
    targetMinutes: 20,
    clipsPerSecond: run.metrics?.clipsPerSecond,
    predictions: run.predictions,
    ...(values['thread-busy'] ? { threadBusy: threadBusy() } : {}),
    ...(values['resident-memory'] ? { residentMemory: residentMemory() } : {}),
  },
  { backend: run.backend },
);
