#!/usr/bin/env node
/**
 * Proof that it learns: the digit-motion benchmark (bench/digits) through the real CLI.
 * Generates the videos, makes a project of the train pool, labels the first K clips of each
 * class (K = --labels-per-class), trains every method for every budget with flips off (the
 * classes are mirror-sensitive), exports each run's model and classifies the held-out test
 * videos with `vssl model predict` (outside the project, so test clips never join the
 * unlabelled pool). Every method, supervised-only too, takes the same steps per epoch
 * (ceil(U/μB)), so equal epochs are equal budgets.
 * Prints one JSON line per run, then a summary line.
 *
 *   npm run build:main && node bench/ssl-digits.mjs [--train 1000] [--test 500]
 *     [--labels-per-class 2] [--methods supervised,pseudolabel,fixmatch,flexmatch]
 *     [--epochs 20[,50,...]] [--seed 1] [--frames 8] [--size 64] [--validation 0]
 *     [--dir DIR] [--keep] [--nuisance full|low]
 *
 * The PyTorch reference on the same data: bench/pytorch/train.py and throughput.py.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDigitVideos } from './digits/generate.mjs';
import { CLI, ROOT, round } from './lib/harness.mjs';

const METHODS = ['supervised', 'pseudolabel', 'fixmatch', 'flexmatch'];
// VSSL_CLI: a script that runs another build's CLI the way bin/vssl.js runs out/main's (the default).
const cliEntry = process.env.VSSL_CLI ? path.resolve(process.env.VSSL_CLI) : CLI;

function parseArgs(argv) {
  const o = {
    train: 1000, test: 500, labelsPerClass: 2, methods: METHODS, epochs: [20], seed: 1, frames: 8, size: 64,
    validation: 0, dir: null, keep: false, nuisance: 'full',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--keep') {
      o.keep = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--methods') {
      o.methods = value.split(',');
      const unknown = o.methods.filter((m) => !METHODS.includes(m));
      if (unknown.length > 0) usage(`unknown method ${unknown.join(', ')} (there are ${METHODS.join(', ')})`);
    } else if (arg === '--epochs') o.epochs = value.split(',').map((v) => whole(v, arg));
    else if (arg === '--dir') o.dir = path.resolve(value);
    else if (arg === '--nuisance') {
      if (!['full', 'low'].includes(value)) usage('--nuisance is full or low');
      o.nuisance = value;
    }
    else if (arg === '--validation') {
      o.validation = Number(value);
      if (!(o.validation >= 0 && o.validation < 1)) usage('--validation must be in [0, 1)');
    } else {
      const key = { '--train': 'train', '--test': 'test', '--labels-per-class': 'labelsPerClass', '--seed': 'seed',
        '--frames': 'frames', '--size': 'size' }[arg];
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
  console.error(`bench: ${message}\nusage: node bench/ssl-digits.mjs [--train N] [--test N] [--labels-per-class K] ` +
    '[--methods a,b] [--epochs N[,N...]] [--seed N] [--frames T] [--size S] [--validation X] [--dir DIR] [--keep] [--nuisance full|low]');
  process.exit(2);
}

/** Runs `vssl ARGS`; resolves with its stdout, rejects with the command and its last stderr lines. */
function vssl(args, { quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!quiet) process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(stdout);
      else {
        const tail = stderr.trim().split('\n').slice(-5).join('\n');
        reject(new Error(`bench: "vssl ${args.slice(0, 3).join(' ')} …" exited with ${code}:\n${tail}`));
      }
    });
  });
}

const json = async (args, options) => JSON.parse(await vssl([...args, '--json'], options));

/** Stops with a clear line when the built CLI lacks a command this benchmark needs. */
async function requireCommands(names) {
  if (!process.env.VSSL_CLI && !fs.existsSync(path.join(ROOT, 'out', 'main', 'cli', 'main.js'))) {
    console.error('bench: out/main is missing: run "npm run build:main" first.');
    process.exit(1);
  }
  for (const name of names) {
    try {
      await vssl([name, '--help'], { quiet: true });
    } catch (error) {
      const reason = /unknown command/.test(error.message) ? 'is not in this build' : `does not answer --help (${error.message})`;
      console.error(`bench: "vssl ${name}" ${reason}; this benchmark needs ${names.map((n) => `vssl ${n}`).join(', ')}. ` +
        'Rebuild with "npm run build:main" once the CLI has them.');
      process.exit(1);
    }
  }
}

function readTruth(file) {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  if (header !== 'path,start,end,label') throw new Error(`bench: ${file} has an unexpected header ${header}`);
  const base = path.dirname(file);
  return lines.map((line) => {
    const [p, start, end, label] = line.split(',');
    return { path: path.resolve(base, p), start: Number(start), end: Number(end), label };
  });
}

/** The first K clips of each class in file order (bench/pytorch/train.py picks the same ones). */
function pickLabelled(truth, perClass) {
  const taken = new Map();
  return truth.filter((row) => {
    const n = taken.get(row.label) ?? 0;
    taken.set(row.label, n + 1);
    return n < perClass;
  });
}

function testAccuracy(predictions, truth) {
  const byPath = new Map(predictions.map((p) => [path.resolve(p.path), p]));
  const perClass = {};
  let correct = 0;
  let missing = 0;
  for (const row of truth) {
    const predicted = byPath.get(row.path);
    const entry = (perClass[row.label] ??= { n: 0, correct: 0 });
    entry.n++;
    if (!predicted) missing++;
    else if (predicted.label === row.label) {
      correct++;
      entry.correct++;
    }
  }
  return {
    testAccuracy: correct / truth.length,
    missing,
    perClass: Object.fromEntries(Object.entries(perClass).map(([label, e]) => [label, round((100 * e.correct) / e.n)])),
  };
}

const options = parseArgs(process.argv.slice(2));
await requireCommands(['init', 'import', 'labels', 'train', 'model']);
const root = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-ssl-digits-'));
const dataDir = path.join(root, 'data');
const genStart = performance.now();
await generateDigitVideos(
  { out: dataDir, train: options.train, test: options.test, seed: options.seed, nuisance: options.nuisance },
  { onProgress: (done, total) => done % 250 === 0 && process.stderr.write(`bench: generated ${done}/${total} videos\n`) },
);
const generateSec = (performance.now() - genStart) / 1000;

const project = path.join(root, `project-${Date.now()}`);
await json(['init', project]);
const imported = await json(['import', project, path.join(dataDir, 'train')], { quiet: true });
const trainTruth = readTruth(path.join(dataDir, 'train.csv'));
const testTruth = readTruth(path.join(dataDir, 'test.csv'));
const labelled = pickLabelled(trainTruth, options.labelsPerClass);
const labelsFile = path.join(root, 'labelled.csv');
fs.writeFileSync(labelsFile, `path,start,end,label\n${labelled.map((r) => `${r.path},${r.start},${r.end},${r.label}`).join('\n')}\n`);
const labelReport = await json(['labels', 'import', project, labelsFile, '--format', 'csv']);
if (labelReport.labelledClips !== labelled.length || labelReport.createdClips !== 0) {
  throw new Error(`bench: expected ${labelled.length} labelled whole-video clips, got ${JSON.stringify(labelReport)}`);
}
const common = {
  bench: 'ssl-digits', labelsPerClass: options.labelsPerClass, labelled: labelled.length,
  pool: imported.import?.imported ?? options.train, test: testTruth.length, frames: options.frames, size: options.size,
  seed: options.seed, validation: options.validation, nuisance: options.nuisance, generateSec: round(generateSec),
};

const results = [];
for (const epochs of options.epochs) {
  for (const method of options.methods) {
    const start = performance.now();
    const run = await json(['train', project, '--method', method, '--epochs', String(epochs), '--no-flip',
      '--seed', String(options.seed), '--frames', String(options.frames), '--size', String(options.size),
      '--validation', String(options.validation), '--name', `${method}-${epochs}`]);
    const wallSec = (performance.now() - start) / 1000;
    const modelDir = path.join(root, 'models', `${method}-${epochs}-run${run.runId}`);
    await json(['model', 'export', project, '--run', String(run.runId), '--out', modelDir]);
    const predictStart = performance.now();
    const predicted = await json(['model', 'predict', modelDir, ...testTruth.map((r) => r.path)], { quiet: true });
    const score = testAccuracy(predicted.predictions, testTruth);
    const result = {
      ...common, method, epochs, runId: run.runId, backend: run.backend, wallSec: round(wallSec),
      clipsPerSecond: round(run.metrics?.clipsPerSecond), testAccuracy: round(100 * score.testAccuracy),
      missing: score.missing, predictFailed: predicted.failed.length, predictSec: round((performance.now() - predictStart) / 1000),
      perClass: score.perClass, lastEpoch: run.metrics,
    };
    results.push(result);
    console.log(JSON.stringify(result));
  }
}

const summary = options.epochs.map((epochs) => {
  const at = results.filter((r) => r.epochs === epochs);
  const supervised = at.find((r) => r.method === 'supervised')?.testAccuracy ?? null;
  const best = at.filter((r) => r.method !== 'supervised').sort((a, b) => b.testAccuracy - a.testAccuracy)[0];
  return {
    epochs, supervised, bestSsl: best ? { method: best.method, testAccuracy: best.testAccuracy } : null,
    gainPoints: supervised !== null && best ? round(best.testAccuracy - supervised) : null,
  };
});
console.log(JSON.stringify({ bench: 'ssl-digits-summary', target: 'SSL ≥ 25 points above supervised-only', summary }));
if (!options.keep && !options.dir) fs.rmSync(root, { recursive: true, force: true });
