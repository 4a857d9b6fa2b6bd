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
 *     [--labels-per-class 2] [--methods supervised,pseudolabel,fixmatch,flexmatch,freematch,flexmatch+da]
 *     [--epochs 20[,50,...]] [--seed 1] [--frames 8] [--size 64] [--validation 0]
 *     [--dir DIR] [--keep] [--nuisance full|medium|low] [--ups-rounds 3] [--teacher DIR] [--pretrain-epochs 0]
 *     [--pretrain-objective svt] [--pretrain-variants none,svt]
 *     [--tcl-finetune 0] [--report-pseudo-label-precision] [--epoch-metrics] [--smoke]
 * A method named M+da (fixmatch, flexmatch, freematch) trains M with --distribution-alignment.
 * UPS gets --epochs / --ups-rounds epochs per round, so its budget matches the other methods'.
 * VideoSSL needs --teacher, an image model folder (bench/digits/teacher.mjs makes one for these digits).
 * --pretrain-epochs P gives every listed method P epochs of self-supervised pretraining first (its rows say so), with
 * --pretrain-objective svt|contrast (svt). --pretrain-variants none,svt,contrast trains every method once per listed
 * variant on the same data (none: no pretraining; the others: P epochs of that objective); bench/svt-pretrain.mjs uses it.
 * --report-pseudo-label-precision adds `pseudoLabels` to each run's row, from the predictions the run stored for
 * the pool at its end (its EMA model, un-augmented clips, checked against train.csv): accuracy on the unlabelled
 * pool and on the labelled clips, and which share of the unlabelled clips pass τ (and, for FlexMatch, their
 * class's last threshold) with how many of those pseudo-labels are right (pseudoLabelPrecision in bench/digits/truth.mjs).
 * --epoch-metrics adds `epochMetrics` to each run's row: every epoch's loss (contrastive while pretraining), mask
 * rate, training accuracy and (FlexMatch) lowest and highest class threshold, as the Train view charts them (from
 * the project's metrics table).
 * --smoke: 20 pool + 10 test videos, 1 label a class, FlexMatch and FreeMatch with distribution alignment for
 * 1 epoch at 4×16×16, the precision report and epoch metrics on (about a minute).
 * Every row carries the machine record (bench/lib/machine.mjs).
 *
 * The PyTorch reference on the same data: bench/pytorch/train.py and throughput.py; bench/ssl-parity.mjs runs both
 * side by side per method, nuisance and seed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDigitVideos } from './digits/generate.mjs';
import { makeDigitProject, scoreOnTest } from './digits/project.mjs';
import { epochMetrics, pickLabelled, pseudoLabelPrecision, readTruth } from './digits/truth.mjs';
import { upsRounds } from './digits/ups-rounds.mjs';
import { report, round, SMOKE } from './lib/harness.mjs';
import { requireCommands, vsslJson as json } from './lib/vssl-cli.mjs';

const METHODS = ['supervised', 'pseudolabel', 'fixmatch', 'flexmatch', 'freematch', 'mvpl', 'ups', 'tcl', 'videossl'];
/** `M+da`: method M with distribution alignment (an option of these). */
const ALIGNING = ['fixmatch', 'flexmatch', 'freematch'];
const methodOf = (name) => name.replace(/\+da$/, '');
/** Pretraining a run may get: none, or --pretrain-epochs of an objective. */
const PRETRAIN_VARIANTS = ['none', 'svt', 'contrast'];

function parseArgs(argv) {
  const o = {
    train: 1000, test: 500, labelsPerClass: 2, methods: METHODS, epochs: [20], seed: 1, frames: 8, size: 64,
    validation: 0, dir: null, keep: false, nuisance: 'full', upsRounds: 3, teacher: null, pretrainEpochs: 0, tclFinetune: 0,
    pretrainObjective: 'svt', pretrainVariants: null, pseudoLabelPrecision: false, epochMetrics: false,
    ...(SMOKE ? { train: 20, test: 10, labelsPerClass: 1, methods: ['flexmatch', 'freematch+da'], epochs: [1], frames: 4, size: 16,
      nuisance: 'low', pseudoLabelPrecision: true, epochMetrics: true } : {}),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--keep') {
      o.keep = true;
      continue;
    }
    if (arg === '--smoke') continue;
    if (arg === '--report-pseudo-label-precision') {
      o.pseudoLabelPrecision = true;
      continue;
    }
    if (arg === '--epoch-metrics') {
      o.epochMetrics = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--methods') {
      o.methods = value.split(',');
      const unknown = o.methods.filter((m) => !METHODS.includes(methodOf(m)) || (m.endsWith('+da') && !ALIGNING.includes(methodOf(m))));
      if (unknown.length > 0) usage(`unknown method ${unknown.join(', ')} (there are ${METHODS.join(', ')}; ${ALIGNING.map((m) => `${m}+da`).join(', ')} add distribution alignment)`);
    } else if (arg === '--epochs') o.epochs = value.split(',').map((v) => whole(v, arg));
    else if (arg === '--dir') o.dir = path.resolve(value);
    else if (arg === '--teacher') o.teacher = path.resolve(value);
    else if (arg === '--tcl-finetune') {
      o.tclFinetune = Number(value);
      if (!(o.tclFinetune >= 0 && o.tclFinetune <= 1)) usage('--tcl-finetune must be in [0, 1]');
    }
    else if (arg === '--pretrain-objective') {
      if (!PRETRAIN_VARIANTS.includes(value) || value === 'none') usage('--pretrain-objective is svt or contrast');
      o.pretrainObjective = value;
    } else if (arg === '--pretrain-variants') {
      o.pretrainVariants = value.split(',');
      for (const v of o.pretrainVariants) if (!PRETRAIN_VARIANTS.includes(v)) usage(`--pretrain-variants: ${v} is not one of ${PRETRAIN_VARIANTS.join(', ')}`);
    } else if (arg === '--nuisance') {
      if (!['full', 'medium', 'low'].includes(value)) usage('--nuisance is full, medium or low');
      o.nuisance = value;
    }
    else if (arg === '--validation') {
      o.validation = Number(value);
      if (!(o.validation >= 0 && o.validation < 1)) usage('--validation must be in [0, 1)');
    } else {
      const key = { '--train': 'train', '--test': 'test', '--labels-per-class': 'labelsPerClass', '--seed': 'seed',
        '--frames': 'frames', '--size': 'size', '--ups-rounds': 'upsRounds', '--pretrain-epochs': 'pretrainEpochs' }[arg];
      if (!key) usage(`unknown option ${arg}`);
      o[key] = whole(value, arg);
    }
  }
  if (o.methods.includes('videossl') && o.teacher === null) usage('videossl needs --teacher DIR (make one with bench/digits/teacher.mjs)');
  return o;
}

function whole(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) usage(`${name} takes whole numbers, not ${JSON.stringify(text)}`);
  return n;
}

function usage(message) {
  console.error(`bench: ${message}\nusage: node bench/ssl-digits.mjs [--train N] [--test N] [--labels-per-class K] ` +
    '[--methods a,b] [--epochs N[,N...]] [--seed N] [--frames T] [--size S] [--validation X] [--dir DIR] [--keep] [--nuisance full|medium|low] ' +
    '[--ups-rounds N] [--teacher DIR] [--pretrain-epochs N] [--pretrain-objective svt|contrast] [--pretrain-variants none,svt,contrast] [--tcl-finetune X] [--report-pseudo-label-precision] [--epoch-metrics] [--smoke]');
  process.exit(2);
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

const trainTruth = readTruth(path.join(dataDir, 'train.csv'));
const testTruth = readTruth(path.join(dataDir, 'test.csv'));
const labelled = pickLabelled(trainTruth, options.labelsPerClass);
const { project, pool } = await makeDigitProject(root, dataDir, labelled);
const common = {
  bench: 'ssl-digits', labelsPerClass: options.labelsPerClass, labelled: labelled.length,
  pool: pool ?? options.train, test: testTruth.length, frames: options.frames, size: options.size,
  seed: options.seed, validation: options.validation, nuisance: options.nuisance, generateSec: round(generateSec),
};

const variants = options.pretrainVariants ?? [options.pretrainEpochs > 0 ? options.pretrainObjective : 'none'];
if (variants.some((v) => v !== 'none') && options.pretrainEpochs === 0) usage('--pretrain-variants other than none need --pretrain-epochs N');
const results = [];
for (const epochs of options.epochs) {
  for (const variant of variants) for (const method of options.methods) {
    const start = performance.now();
    // UPS trains `epochs` per round: split the budget over its rounds so every method gets about as many steps.
    const methodEpochs = method === 'ups' ? Math.max(1, Math.round(epochs / options.upsRounds)) : epochs;
    const upsFlags = method === 'ups' ? ['--ups-rounds', String(options.upsRounds)] : [];
    const methodFlags = method === 'videossl' ? ['--teacher', options.teacher] : method.endsWith('+da') ? ['--distribution-alignment'] : [];
    if (method === 'tcl' && options.tclFinetune > 0) methodFlags.push('--tcl-finetune', String(options.tclFinetune));
    const pretrainEpochs = variant === 'none' ? 0 : options.pretrainEpochs;
    const pretrainFlags = pretrainEpochs > 0 ? ['--pretrain-epochs', String(pretrainEpochs), '--pretrain-objective', variant] : [];
    const run = await json(['train', project, '--method', methodOf(method), '--epochs', String(methodEpochs), ...upsFlags, ...methodFlags, ...pretrainFlags, '--no-flip',
      '--seed', String(options.seed), '--frames', String(options.frames), '--size', String(options.size),
      '--validation', String(options.validation), '--name', `${method}-${epochs}${pretrainEpochs > 0 ? `-${variant}${pretrainEpochs}` : ''}`]);
    const wallSec = (performance.now() - start) / 1000;
    const modelDir = path.join(root, 'models', `${method}-${epochs}-${variant}-run${run.runId}`);
    const score = await scoreOnTest(project, run.runId, modelDir, testTruth);
    const result = {
      ...common, method, epochs, pretrainEpochs, ...(pretrainEpochs > 0 ? { pretrainObjective: variant } : {}), ...(method === 'tcl' ? { tclFinetune: options.tclFinetune } : {}), ...(method === 'videossl' ? { teacher: options.teacher } : {}), runId: run.runId, backend: run.backend, wallSec: round(wallSec),
      clipsPerSecond: round(run.metrics?.clipsPerSecond), testAccuracy: round(100 * score.testAccuracy),
      missing: score.missing, predictFailed: score.predictFailed, predictSec: round(score.predictSec),
      perClass: score.perClass, lastEpoch: run.metrics,
      ...(method === 'ups' ? { upsRounds: upsRounds(project, run, trainTruth) } : {}),
      ...(options.pseudoLabelPrecision ? { pseudoLabels: pseudoLabelPrecision(project, run, trainTruth, labelled) } : {}),
      ...(options.epochMetrics ? { epochMetrics: epochMetrics(project, run.runId) } : {}),
    };
    results.push(result);
    report(result, { backend: run.backend, pretty: false });
  }
}

const summary = options.epochs.map((epochs) => {
  const at = results.filter((r) => r.epochs === epochs && (r.pretrainObjective ?? 'none') === variants[0]);
  const supervised = at.find((r) => r.method === 'supervised')?.testAccuracy ?? null;
  const best = at.filter((r) => r.method !== 'supervised').sort((a, b) => b.testAccuracy - a.testAccuracy)[0];
  return {
    epochs, supervised, bestSsl: best ? { method: best.method, testAccuracy: best.testAccuracy } : null,
    gainPoints: supervised !== null && best ? round(best.testAccuracy - supervised) : null,
  };
});
report({ bench: 'ssl-digits-summary', target: 'SSL ≥ 25 points above supervised-only', summary }, { backend: results[0]?.backend ?? null, pretty: false });
if (!options.keep && !options.dir) fs.rmSync(root, { recursive: true, force: true });
