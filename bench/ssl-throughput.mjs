#!/usr/bin/env node
/**
 * Training throughput of the default (2+1)D network (width 16, depth 3, 10 classes, 8×64×64 clips) on the
 * wasm backend, side by side with the same network in PyTorch (bench/pytorch/throughput.py, under
 * /usr/bin/python3) on the same CPU, in one command: ours on one thread, then PyTorch on one thread; ours
 * with each step split across --threads gradient threads (as training runs on wasm), then PyTorch on
 * --threads threads. Two measures: "model-step" = forward + backward + SGD on 64 clips, and
 * "fixmatch-step" = a whole FixMatch step: B=8 labelled + μB=56 unlabelled clips, weak and strong
 * augmentation included (64 distinct clips per step). Inputs are random pixels (cost does not depend on
 * content). Each measure runs one warm-up step, then --steps timed steps.
 *
 * Prints one JSON object: `rows` (measure × threads: ours, PyTorch, ours / PyTorch) and the machine
 * record (CPU model and SIMD flags matter most here: the ratio is bound to the CPU). PyTorch's side says
 * "skipped" when `/usr/bin/python3 -c 'import torch'` fails. --append FILE also adds the object to FILE as
 * one JSON line (docs/results/ keeps such rows).
 *
 *   npm run build:main && node bench/ssl-throughput.mjs [--steps 6] [--frames 8] [--size 64] [--threads 2]
 *     [--no-pytorch] [--append FILE] [--smoke]
 * --threads 1 measures one thread only. --smoke: 1 step at 4×16×16, both thread counts (seconds).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importBuild, importTfjs } from './lib/build.mjs';
import { report, requireBuilt, ROOT, SMOKE } from './lib/harness.mjs';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: SMOKE ? '1' : '6' },
    frames: { type: 'string', default: SMOKE ? '4' : '8' },
    size: { type: 'string', default: SMOKE ? '16' : '64' },
    pytorch: { type: 'boolean', default: true },
    threads: { type: 'string', default: '2' },
    append: { type: 'string' },
    smoke: { type: 'boolean', default: false },
  },
  allowNegative: true,
});
requireBuilt();
const tf = await importTfjs();
const { selectBackend } = await importBuild('selectBackend');
const { buildModel } = await importBuild('buildModel');
const { trainStep } = await importBuild('trainStep');
const { createOptimizer } = await importBuild('optimizer');
const { EmaWeights } = await importBuild('emaWeights');
const { weakAugment } = await importBuild('weakAugment');
const { strongAugment } = await importBuild('strongAugment');
const { defaultTrainSettings } = await importBuild('sharedTraining');
const { Rng } = await importBuild('random');
const { shardedTrainStep } = await importBuild('shardedStep');
const { GradientWorkers } = await importBuild('gradientWorkers');
const { shardsPerStep } = await importBuild('shardPlan');
const { NO_HEADS } = await importBuild('extraHeads');

const frames = Number(values.frames);
const size = Number(values.size);
const steps = Number(values.steps);
const threads = Number(values.threads);
if (!(Number.isInteger(threads) && threads >= 1)) throw new Error('bench: --threads takes a whole number ≥ 1');
const backend = await selectBackend({ ...process.env, VSSL_TF_BACKEND: process.env.VSSL_TF_BACKEND ?? 'wasm' });
const spec = { architecture: 'r2plus1d', classes: 10, frames, size, width: 16, depth: 3, dropout: 0.3 };

const measured = (seconds, before) => ({
  msPerStep: Math.round(seconds * 1000),
  clipsPerSec: Math.round((64 / seconds) * 10) / 10,
  leakedTensors: tf.memory().numTensors - before,
});

async function timeSteps(step) {
  await step(0);
  const before = tf.memory().numTensors;
  const started = performance.now();
  for (let k = 1; k <= steps; k++) await step(k);
  return measured((performance.now() - started) / 1000 / steps, before);
}

async function modelStep() {
  const settings = defaultTrainSettings('supervised');
  const model = buildModel(spec, { seed: 1 });
  const optimizer = createOptimizer(settings);
  const x = tf.randomUniform([64, frames, size, size, 3]);
  const y = tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'int32');
  const result = await timeSteps((k) => trainStep({ model, optimizer, settings: { ...settings, batchSize: 64 }, labelled: { x, y }, step: k, totalSteps: 1000 }));
  tf.dispose([x, y]);
  model.dispose();
  return result;
}

async function fixmatchStep() {
  const settings = { ...defaultTrainSettings('fixmatch'), flip: false };
  const model = buildModel(spec, { seed: 1 });
  const optimizer = createOptimizer(settings);
  const ema = new EmaWeights(model, settings.emaDecay);
  const rng = new Rng(1);
  const labelled = tf.randomUniform([8, frames, size, size, 3]);
  const unlabelled = tf.randomUniform([56, frames, size, size, 3]);
  const y = tf.tensor1d(Array.from({ length: 8 }, (_, i) => i % 10), 'int32');
  const options = { flip: false };
  const result = await timeSteps(async (k) => {
    const x = weakAugment(labelled, rng, options);
    const weak = weakAugment(unlabelled, rng, options);
    const strong = strongAugment(unlabelled, rng, options);
    try {
      await trainStep({ model, optimizer, settings, labelled: { x, y }, unlabelledWeak: weak, unlabelledStrong: strong, step: k, totalSteps: 1000, ema });
    } finally {
      tf.dispose([x, weak, strong]);
    }
  });
  ema.dispose();
  tf.dispose([labelled, unlabelled, y]);
  model.dispose();
  return result;
}

/** The same two measures through the sharded step training runs use, from decoded clip bytes. */
async function shardedStep(method, threadCount) {
  // The clip spec a step decodes at comes from the settings (the gradient threads build their model from them too).
  const input = { frames, size, flip: false };
  const settings = method === 'supervised' ? { ...defaultTrainSettings('supervised'), batchSize: 64, ...input } : { ...defaultTrainSettings('fixmatch'), ...input };
  const model = buildModel(spec, { seed: 1 });
  const optimizer = createOptimizer(settings);
  const ema = new EmaWeights(model, settings.emaDecay);
  const rng = new Rng(1);
  const clip = () => Uint8Array.from({ length: frames * size * size * 3 }, () => rng.int(256));
  const labelledCount = settings.batchSize;
  const unlabelledCount = method === 'supervised' ? 0 : settings.batchSize * settings.mu;
  const labelled = Array.from({ length: labelledCount }, clip);
  const unlabelled = Array.from({ length: unlabelledCount }, clip);
  // As a training run splits a step: one shard per thread while each keeps enough rows (run-training.ts).
  const shards = shardsPerStep(settings, threadCount, 'train');
  const workers = await GradientWorkers.start(shards - 1, { settings, classes: 10, backend: backend.name, heads: NO_HEADS });
  try {
    const result = await timeSteps((k) =>
      shardedTrainStep({
        model,
        optimizer,
        settings,
        batch: { labelled, labels: labelled.map((_, i) => i % 10), unlabelled, unlabelledIndices: unlabelled.map((_, i) => i) },
        step: k,
        totalSteps: 1000,
        flex: null,
        ema,
        rng,
        workers,
        shards,
        stage: 'train',
        heads: NO_HEADS,
      }),
    );
    return { ...result, shards };
  } finally {
    await workers.close();
    ema.dispose();
    model.dispose();
  }
}

const PYTHON = '/usr/bin/python3';

/** Why PyTorch's side cannot run here, or null when it can. */
function pytorchMissing() {
  if (!values.pytorch) return 'not asked (--no-pytorch)';
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} is missing`;
  return probe.status === 0 ? null : `no PyTorch under ${PYTHON}`;
}

/** PyTorch's two measures on `threadCount` threads, or { skipped } / { error }. */
function pytorchRun(threadCount) {
  const script = path.join(ROOT, 'bench', 'pytorch', 'throughput.py');
  const args = [script, '--threads', String(threadCount), '--frames', String(frames), '--size', String(size), '--steps', String(steps), '--warmup', '1'];
  const run = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (run.status !== 0) return { error: (run.stderr || run.error?.message || 'failed').trim().split('\n').pop() };
  const rows = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
  return Object.fromEntries(rows.map((r) => [r.mode, { msPerStep: r.msPerStep, clipsPerSec: r.clipsPerSec, threads: r.threads, torch: r.torch }]));
}

const skipped = pytorchMissing();
const measures = ['model-step', 'fixmatch-step'];
// Ours, then PyTorch, at one thread, then at --threads: each pair measured back to back, under the same load.
const ours = { 1: { 'model-step': await modelStep(), 'fixmatch-step': await fixmatchStep() } };
const pytorch = { 1: skipped === null ? pytorchRun(1) : null };
if (threads > 1) {
  ours[threads] = { 'model-step': await shardedStep('supervised', threads), 'fixmatch-step': await shardedStep('fixmatch', threads) };
  pytorch[threads] = skipped === null ? pytorchRun(threads) : null;
}

const rows = Object.keys(ours).flatMap((t) =>
  measures.map((measure) => {
    const mine = ours[t][measure];
    const theirs = pytorch[t]?.[measure] ?? null;
    return {
      measure,
      threads: Number(t),
      ours: mine,
      pytorch: theirs,
      oursOverPytorch: theirs ? Math.round((mine.clipsPerSec / theirs.clipsPerSec) * 100) / 100 : null,
    };
  }),
);
const errors = Object.entries(pytorch).filter(([, p]) => p?.error).map(([t, p]) => `${t} threads: ${p.error}`);
const result = report(
  {
    bench: 'ssl-throughput',
    input: `${frames}x${size}x${size}x3`,
    backend: backend.name,
    backendDetail: backend.reason,
    steps,
    pytorch: skipped === null ? (errors.length > 0 ? { error: errors.join('; ') } : { ran: true }) : { skipped },
    rows,
  },
  { backend: backend.name },
);
if (values.append) fs.appendFileSync(values.append, `${JSON.stringify(result)}\n`);
