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
 *   node bench/ssl-throughput.mjs [--steps 6] [--frames 8] [--size 64] [--no-pytorch]
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

const ours = { 'model-step': modelStep(), 'fixmatch-step': fixmatchStep() };

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

const ratio = (mode) => (pytorch?.[mode] ? Math.round((ours[mode].clipsPerSec / pytorch[mode].clipsPerSec) * 100) / 100 : null);
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
      oursOverPytorch: { 'model-step': ratio('model-step'), 'fixmatch-step': ratio('fixmatch-step') },
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg().map((v) => Math.round(v * 100) / 100) },
    },
    null,
    2,
  ),
);
