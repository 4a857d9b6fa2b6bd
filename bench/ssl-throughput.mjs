#!/usr/bin/env node
/**
 * Training throughput of the default (2+1)D network (width 16, depth 3, 10 classes, 8×64×64 clips)
 * on the wasm backend, next to the same network in PyTorch on the same CPU (Debian's python3-torch,
 * 2 threads) when `/usr/bin/python3 -c "import torch"` works. Two measures, as in
 * bench/pytorch/throughput.py: "model-step" = forward + backward + SGD on 64 clips, and
 * "fixmatch-step" = a whole FixMatch step: B=8 labelled + μB=56 unlabelled clips, weak and strong
 * augmentation included (64 distinct clips per step). Inputs are random pixels (cost does not
 * depend on content). Runs on the compiled core (`npm run build:main`); prints one JSON object.
 *
 * With `--threads N` (N > 1) both measures are taken again the way training runs them on N cores: each
 * step split into N shards, N − 1 of them on gradient threads (src-main/core/ml/parallel).
 *
 *   node bench/ssl-throughput.mjs [--steps 6] [--frames 8] [--size 64] [--threads 2] [--no-pytorch]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { requireBuilt, ROOT } from './lib/harness.mjs';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '6' },
    frames: { type: 'string', default: '8' },
    size: { type: 'string', default: '64' },
    pytorch: { type: 'boolean', default: true },
    threads: { type: 'string', default: '1' },
  },
  allowNegative: true,
});
requireBuilt();
const main = (...parts) => path.join(ROOT, 'out', 'main', ...parts);
const tf = await import('@tensorflow/tfjs');
const { selectBackend } = await import(main('core', 'ml', 'backend', 'select-backend.js'));
const { buildModel } = await import(main('core', 'ml', 'models', 'build-model.js'));
const { trainStep } = await import(main('core', 'ml', 'methods', 'train-step.js'));
const { createOptimizer } = await import(main('core', 'ml', 'methods', 'optimizer.js'));
const { EmaWeights } = await import(main('core', 'ml', 'methods', 'ema-weights.js'));
const { weakAugment } = await import(main('core', 'ml', 'augment', 'weak.js'));
const { strongAugment } = await import(main('core', 'ml', 'augment', 'strong.js'));
const { defaultTrainSettings } = await import(main('shared', 'training.js'));
const { Rng } = await import(main('core', 'ml', 'random.js'));
const { shardedTrainStep } = await import(main('core', 'ml', 'parallel', 'sharded-step.js'));
const { GradientWorkers } = await import(main('core', 'ml', 'parallel', 'gradient-workers.js'));
const { shardsPerStep } = await import(main('core', 'ml', 'parallel', 'shard-plan.js'));
const { NO_HEADS } = await import(main('core', 'ml', 'models', 'extra-heads.js'));

const frames = Number(values.frames);
const size = Number(values.size);
const steps = Number(values.steps);
const backend = await selectBackend({ ...process.env, VSSL_TF_BACKEND: process.env.VSSL_TF_BACKEND ?? 'wasm' });
const spec = { architecture: 'r2plus1d', classes: 10, frames, size, width: 16, depth: 3, dropout: 0.3 };

function timeSteps(step) {
  step(0);
  const before = tf.memory().numTensors;
  const started = performance.now();
  for (let k = 1; k <= steps; k++) step(k);
  const seconds = (performance.now() - started) / 1000 / steps;
  return { msPerStep: Math.round(seconds * 1000), clipsPerSec: Math.round((64 / seconds) * 10) / 10, leakedTensors: tf.memory().numTensors - before };
}

function modelStep() {
  const settings = defaultTrainSettings('supervised');
  const model = buildModel(spec, { seed: 1 });
  const optimizer = createOptimizer(settings);
  const x = tf.randomUniform([64, frames, size, size, 3]);
  const y = tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'int32');
  const result = timeSteps((k) => trainStep({ model, optimizer, settings: { ...settings, batchSize: 64 }, labelled: { x, y }, step: k, totalSteps: 1000 }));
  tf.dispose([x, y]);
  model.dispose();
  return result;
}

function fixmatchStep() {
  const settings = { ...defaultTrainSettings('fixmatch'), flip: false };
  const model = buildModel(spec, { seed: 1 });
  const optimizer = createOptimizer(settings);
  const ema = new EmaWeights(model, settings.emaDecay);
  const rng = new Rng(1);
  const labelled = tf.randomUniform([8, frames, size, size, 3]);
  const unlabelled = tf.randomUniform([56, frames, size, size, 3]);
  const y = tf.tensor1d(Array.from({ length: 8 }, (_, i) => i % 10), 'int32');
  const options = { flip: false };
  const result = timeSteps((k) => {
    const x = weakAugment(labelled, rng, options);
    const weak = weakAugment(unlabelled, rng, options);
    const strong = strongAugment(unlabelled, rng, options);
    try {
      trainStep({ model, optimizer, settings, labelled: { x, y }, unlabelledWeak: weak, unlabelledStrong: strong, step: k, totalSteps: 1000, ema });
    } finally {
      tf.dispose([x, weak, strong]);
    }
  });
  ema.dispose();
  tf.dispose([labelled, unlabelled, y]);
  model.dispose();
  return result;
}

async function timeStepsAsync(step) {
  await step(0);
  const before = tf.memory().numTensors;
  const started = performance.now();
  for (let k = 1; k <= steps; k++) await step(k);
  const seconds = (performance.now() - started) / 1000 / steps;
  return { msPerStep: Math.round(seconds * 1000), clipsPerSec: Math.round((64 / seconds) * 10) / 10, leakedTensors: tf.memory().numTensors - before };
}

/** The same two measures through the sharded step training runs use, from decoded clip bytes. */
async function shardedStep(method, threads) {
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
  const shards = shardsPerStep(settings, threads, 'train');
  const workers = await GradientWorkers.start(shards - 1, { settings, classes: 10, backend: backend.name, heads: NO_HEADS });
  try {
    return await timeStepsAsync((k) =>
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
  } finally {
    await workers.close();
    ema.dispose();
    model.dispose();
  }
}

const threads = Number(values.threads);
const ours = { 'model-step': modelStep(), 'fixmatch-step': fixmatchStep() };
if (threads > 1) {
  ours[`model-step, ${threads} threads`] = await shardedStep('supervised', threads);
  ours[`fixmatch-step, ${threads} threads`] = await shardedStep('fixmatch', threads);
}

let pytorch = null;
if (values.pytorch) {
  const script = path.join(ROOT, 'bench', 'pytorch', 'throughput.py');
  const run = spawnSync('/usr/bin/python3', [script, '--threads', '2', '--frames', String(frames), '--size', String(size), '--steps', String(steps), '--warmup', '1'], { encoding: 'utf8' });
  if (run.status === 0) {
    pytorch = Object.fromEntries(run.stdout.trim().split('\n').map((line) => JSON.parse(line)).map((r) => [r.mode, { msPerStep: r.msPerStep, clipsPerSec: r.clipsPerSec, threads: r.threads, torch: r.torch }]));
  } else {
    pytorch = { error: (run.stderr || run.error?.message || 'failed').trim().split('\n').pop() };
  }
}

/** Ours over PyTorch's same measure (PyTorch always uses its 2 threads). */
const ratio = (mode) => {
  const reference = pytorch?.[mode.split(',')[0]];
  return reference ? Math.round((ours[mode].clipsPerSec / reference.clipsPerSec) * 100) / 100 : null;
};
console.log(
  JSON.stringify(
    {
      bench: 'ssl-throughput',
      input: `${frames}x${size}x${size}x3`,
      backend: backend.name,
      backendDetail: backend.reason,
      steps,
      ours,
      pytorch,
      oursOverPytorch: Object.fromEntries(Object.keys(ours).map((mode) => [mode, ratio(mode)])),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg().map((v) => Math.round(v * 100) / 100) },
    },
    null,
    2,
  ),
);
