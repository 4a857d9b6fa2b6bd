#!/usr/bin/env node
/**
 * Parity of the app's semi-supervised methods with the PyTorch port (bench/pytorch), issue 24: for every nuisance
 * level and seed, one generated digit-motion set (bench/digits), the same labelled clips (the first K of each class
 * in train.csv), the same epochs (ceil(U/μB) steps each), frames, size and no flips; each method is trained by the
 * real CLI and scored on the held-out test videos, then by bench/pytorch/train.py on the same files (its EMA model
 * on the whole test set). Writes one JSON line per (nuisance, seed, method) and a markdown table of the means over
 * seeds (ours, PyTorch, difference in points, wall times) into --out, and prints the rows.
 *
 *   npm run build:main && node bench/ssl-parity.mjs [--nuisance low,medium,full] [--seeds 1,2,3]
 *     [--methods supervised,fixmatch,flexmatch,freematch] [--epochs 100] [--train 600] [--test 300]
 *     [--labels-per-class 2] [--frames 8] [--size 32] [--threads 2] [--out DIR] [--smoke]
 *     [--app-args "--dropout 0"] [--pytorch-args "--dropout 0 --ra-ops 3 --bn-momentum 0.001"]
 * --app-args / --pytorch-args: extra flags for `vssl train` / bench/pytorch/train.py (space-separated), to measure one
 * difference of the audit in docs/benchmarks.md at a time; every row records them.
 * A method named M+da (fixmatch, flexmatch, freematch) runs M with distribution alignment on both sides.
 * --smoke: 20 pool + 10 test videos, low nuisance, one seed, FlexMatch and FreeMatch+da, 1 epoch at 4×16×16.
 * Without --out the files go to a temporary folder that is removed at the end (the table is also printed on stderr).
 * Without PyTorch under /usr/bin/python3 the PyTorch column says why it is empty.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDigitVideos } from './digits/generate.mjs';
import { makeDigitProject, scoreOnTest } from './digits/project.mjs';
import { pickLabelled, readTruth } from './digits/truth.mjs';
import { report, ROOT, round, SMOKE } from './lib/harness.mjs';
import { requireCommands, vsslJson as json } from './lib/vssl-cli.mjs';

const METHODS = ['supervised', 'fixmatch', 'flexmatch', 'freematch'];
const ALIGNING = ['fixmatch', 'flexmatch', 'freematch'];
const methodOf = (name) => name.replace(/\+da$/, '');
const PYTHON = '/usr/bin/python3';

function parseArgs(argv) {
  const o = {
    nuisance: ['low', 'medium', 'full'], seeds: [1, 2, 3], methods: METHODS, epochs: 100, train: 600, test: 300,
    labelsPerClass: 2, frames: 8, size: 32, threads: 2, out: null, appArgs: [], pytorchArgs: [],
    ...(SMOKE ? { nuisance: ['low'], seeds: [1], methods: ['flexmatch', 'freematch+da'], epochs: 1, train: 20, test: 10, labelsPerClass: 1, frames: 4, size: 16, threads: 1 } : {}),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--smoke') continue;
    const value = argv[++i];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--nuisance') {
      o.nuisance = value.split(',');
      const bad = o.nuisance.filter((n) => !['low', 'medium', 'full'].includes(n));
      if (bad.length > 0) usage(`--nuisance takes low, medium, full, not ${bad.join(', ')}`);
    } else if (arg === '--methods') {
      o.methods = value.split(',');
      const bad = o.methods.filter((m) => !METHODS.includes(methodOf(m)) || (m.endsWith('+da') && !ALIGNING.includes(methodOf(m))));
      if (bad.length > 0) usage(`unknown method ${bad.join(', ')} (there are ${METHODS.join(', ')}; ${ALIGNING.map((m) => `${m}+da`).join(', ')})`);
    } else if (arg === '--seeds') o.seeds = value.split(',').map((v) => whole(v, arg));
    else if (arg === '--out') o.out = path.resolve(value);
    else if (arg === '--app-args') o.appArgs = value.split(' ').filter((a) => a !== '');
    else if (arg === '--pytorch-args') o.pytorchArgs = value.split(' ').filter((a) => a !== '');
    else {
      const key = { '--epochs': 'epochs', '--train': 'train', '--test': 'test', '--labels-per-class': 'labelsPerClass',
        '--frames': 'frames', '--size': 'size', '--threads': 'threads' }[arg];
      if (!key) usage(`unknown option ${arg}`);
      o[key] = whole(value, arg);
    }
  }
  return o;
}

function whole(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) usage(`${name} takes whole numbers, not ${JSON.stringify(text)}`);
  return n;
}

function usage(message) {
  console.error(`bench: ${message}\nusage: node bench/ssl-parity.mjs [--nuisance low,medium,full] [--seeds 1,2,3] [--methods a,b] ` +
    '[--epochs N] [--train N] [--test N] [--labels-per-class K] [--frames T] [--size S] [--threads N] [--out DIR] [--smoke] ' +
    '[--app-args "FLAGS"] [--pytorch-args "FLAGS"]');
  process.exit(2);
}

/** Runs the PyTorch port; resolves with its last JSON line (the final evaluation) and its wall time. */
function pytorchRun(dataDir, method, seed, o) {
  const args = [path.join(ROOT, 'bench', 'pytorch', 'train.py'), '--data', dataDir, '--method', methodOf(method),
    '--labels-per-class', String(o.labelsPerClass), '--epochs', String(o.epochs), '--eval-every', String(o.epochs),
    '--threads', String(o.threads), '--seed', String(seed), '--frames', String(o.frames), '--size', String(o.size),
    ...(method.endsWith('+da') ? ['--distribution-alignment'] : []), ...o.pytorchArgs];
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', (error) => resolve({ error: error.message }));
    child.once('close', (code) => {
      const wallSec = round((performance.now() - start) / 1000);
      const last = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (code !== 0 || last === undefined) resolve({ error: `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`, wallSec });
      else {
        const row = JSON.parse(last);
        resolve({ testAccuracy: round(100 * row.testAccuracy), maskRate: row.maskRate, stepsPerEpoch: row.stepsPerEpoch,
          minThreshold: row.minThreshold ?? null, maxThreshold: row.maxThreshold ?? null, wallSec });
      }
    });
  });
}

function mean(values) {
  const v = values.filter((x) => Number.isFinite(x));
  return v.length === 0 ? null : round(v.reduce((a, b) => a + b, 0) / v.length);
}

function markdown(rows, o) {
  const lines = [
    `Digit benchmark, ${o.train} pool + ${o.test} test videos, ${o.labelsPerClass} labels per class, ${o.epochs} epochs, ` +
      `${o.frames}×${o.size}×${o.size}, no flips, PyTorch on ${o.threads} threads; means over seeds.` +
      (o.appArgs.length + o.pytorchArgs.length > 0 ? ` App flags: ${o.appArgs.join(' ') || 'none'}; PyTorch flags: ${o.pytorchArgs.join(' ') || 'none'}.` : ''),
    '',
    '| nuisance | method | seeds | ours % | PyTorch % | ours − PyTorch | ours wall s | PyTorch wall s |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const nuisance of o.nuisance) {
    for (const method of o.methods) {
      const at = rows.filter((r) => r.nuisance === nuisance && r.method === method);
      const ours = mean(at.map((r) => r.ours.testAccuracy));
      const torch = mean(at.map((r) => r.pytorch.testAccuracy));
      const diff = ours !== null && torch !== null ? round(ours - torch) : '–';
      lines.push(`| ${nuisance} | ${method} | ${at.map((r) => r.seed).join(',')} | ${ours ?? '–'} | ${torch ?? '–'} | ${diff} | ` +
        `${mean(at.map((r) => r.ours.wallSec)) ?? '–'} | ${mean(at.map((r) => r.pytorch.wallSec)) ?? '–'} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const options = parseArgs(process.argv.slice(2));
await requireCommands(['init', 'import', 'labels', 'train', 'model']);
const torchMissing = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0 ? `no PyTorch under ${PYTHON}` : null;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-ssl-parity-'));
const out = options.out ?? path.join(root, 'result');
fs.mkdirSync(out, { recursive: true });
const jsonl = path.join(out, 'ssl-parity.jsonl');
fs.writeFileSync(jsonl, '');

const rows = [];
for (const nuisance of options.nuisance) {
  for (const seed of options.seeds) {
    const dataDir = path.join(root, `data-${nuisance}-${seed}`);
    await generateDigitVideos({ out: dataDir, train: options.train, test: options.test, seed, nuisance });
    const trainTruth = readTruth(path.join(dataDir, 'train.csv'));
    const testTruth = readTruth(path.join(dataDir, 'test.csv'));
    const labelled = pickLabelled(trainTruth, options.labelsPerClass);
    const { project } = await makeDigitProject(root, dataDir, labelled, `project-${nuisance}-${seed}`);
    for (const method of options.methods) {
      const start = performance.now();
      const run = await json(['train', project, '--method', methodOf(method), '--epochs', String(options.epochs),
        ...(method.endsWith('+da') ? ['--distribution-alignment'] : []), '--no-flip', '--seed', String(seed),
        '--frames', String(options.frames), '--size', String(options.size), '--validation', '0', '--name', `${method}-${seed}`,
        ...options.appArgs]);
      const wallSec = round((performance.now() - start) / 1000);
      const score = await scoreOnTest(project, run.runId, path.join(root, 'models', `${nuisance}-${seed}-${method}`), testTruth);
      const ours = { testAccuracy: round(100 * score.testAccuracy), maskRate: run.metrics?.maskRate ?? null, wallSec, backend: run.backend };
      const pytorch = torchMissing ? { skipped: torchMissing } : await pytorchRun(dataDir, method, seed, options);
      const row = {
        bench: 'ssl-parity', nuisance, seed, method, epochs: options.epochs, labelsPerClass: options.labelsPerClass,
        labelled: labelled.length, pool: trainTruth.length, test: testTruth.length, frames: options.frames, size: options.size,
        appArgs: options.appArgs, pytorchArgs: options.pytorchArgs, ours, pytorch, oursMinusPytorch: Number.isFinite(pytorch.testAccuracy) ? round(ours.testAccuracy - pytorch.testAccuracy) : null,
      };
      rows.push(row);
      const printed = report(row, { backend: run.backend, pretty: false });
      fs.appendFileSync(jsonl, `${JSON.stringify(printed)}\n`);
    }
  }
}
fs.writeFileSync(path.join(out, 'ssl-parity.md'), markdown(rows, options));
process.stderr.write(`bench: wrote ${jsonl} and ${path.join(out, 'ssl-parity.md')}\n${markdown(rows, options)}`);
// Without --out the table went to stderr and nothing is kept.
fs.rmSync(options.out === null ? root : path.join(root, 'models'), { recursive: true, force: true });
if (options.out !== null) process.stderr.write(`bench: data and projects kept under ${root}\n`);
