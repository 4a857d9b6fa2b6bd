#!/usr/bin/env node
/**
 * Training throughput on one backend as a training run computes a step: the default (2+1)D network (width 16,
 * depth 3, 10 classes), two warm-up steps then --steps timed ones, each step through shardedTrainStep on this thread, split into the micro-batches the
 * run's memory budget asks for (step-memory.ts, measured per-row cost). Two measures, as bench/ssl-throughput.mjs:
 * "model-step" = forward + backward + SGD on 64 labelled clips; "fixmatch-step" = B=8 labelled + μB=56
 * unlabelled clips, weak and strong augmentation included. Clips/s counts the 64 distinct clips of a step.
 *
 * Made for the webgpu backend (default: forced, so a software adapter such as lavapipe counts, for the record)
 * and for a real GPU machine with no network: it imports only the build and production packages (it runs from
 * ../shared/tools/gpu-bundle.sh's archive). `--pytorch cpu|cuda` also runs bench/pytorch/throughput.py on that
 * device at the same spec. Prints one JSON object with the adapter and the machine record.
 *
 *   node bench/gpu-throughput.mjs [--backend webgpu] [--frames 8] [--size 64] [--steps 3] [--modes model-step,fixmatch-step]
 *     [--pytorch cuda] [--max-step-memory MIB] [--threads N] [--smoke]
 * --threads N: on wasm and cpu, split each step across N gradient threads as runs do (shardsPerStep).
 * --smoke: 1 step at 4×16×16.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importBuild, importTfjs } from './lib/build.mjs';
import { machineRecord } from './lib/machine.mjs';

const SMOKE = process.argv.includes('--smoke');
const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    frames: { type: 'string', default: SMOKE ? '4' : '8' },
    size: { type: 'string', default: SMOKE ? '16' : '64' },
    steps: { type: 'string', default: SMOKE ? '1' : '3' },
    modes: { type: 'string', default: 'model-step,fixmatch-step' },
    pytorch: { type: 'string' },
    'max-step-memory': { type: 'string', default: '0' },
    threads: { type: 'string', default: '1' },
    smoke: { type: 'boolean', default: false },
  },
});
const frames = Number(values.frames);
const size = Number(values.size);
const steps = Number(values.steps);
const maxStepMemory = Number(values['max-step-memory']);
const threads = Number(values.threads);

const tf = await importTfjs();
const { selectBackend } = await importBuild('selectBackend');
const { buildModel } = await importBuild('buildModel');
const { createOptimizer } = await importBuild('optimizer');
const { EmaWeights } = await importBuild('emaWeights');
const { defaultTrainSettings } = await importBuild('sharedTraining');
const { Rng } = await importBuild('random');
const { shardedTrainStep } = await importBuild('shardedStep');
const { shardsPerStep, stepShape } = await importBuild('shardPlan');
const { GradientWorkers } = await importBuild('gradientWorkers');
const { stepBudget, planMicroBatches } = await importBuild('stepMemory');
const { measureRunRowCost } = await importBuild('stepMemoryProbe');
const { NO_HEADS } = await importBuild('extraHeads');

let backend;
try {
  backend = await selectBackend({ ...process.env, VSSL_TF_BACKEND: values.backend });
} catch (error) {
  // A machine without a WebGPU adapter (no GPU, no lavapipe) has nothing to measure: said, not failed.
  console.log(JSON.stringify({ bench: 'gpu-throughput', skipped: error instanceof Error ? error.message : String(error), machine: machineRecord({}) }, null, 2));
  process.exit(0);
}
const gpuBytes = () => tf.memory().numBytesInGPU ?? null;

async function measure(mode) {
  const base = { ...defaultTrainSettings(mode === 'model-step' ? 'supervised' : 'fixmatch'), frames, size, flip: false, maxStepMemory };
  const settings = mode === 'model-step' ? { ...base, batchSize: 64 } : base;
  const spec = { architecture: 'r2plus1d', classes: 10, frames, size, width: settings.width, depth: settings.depth, dropout: settings.dropout };
  const cost = await measureRunRowCost(settings, 10, NO_HEADS, 'train');
  const budget = stepBudget(backend, maxStepMemory, os.totalmem());
  const shards = shardsPerStep(settings, threads);
  const plan = planMicroBatches(stepShape(settings, 'train', shards), cost, budget);
  const workers = shards > 1 ? await GradientWorkers.start(shards - 1, { settings, classes: 10, backend: backend.name, heads: NO_HEADS }) : null;
  const model = buildModel(spec, { seed: 1 });
  const optimizer = createOptimizer(settings);
  const ema = mode === 'model-step' ? null : new EmaWeights(model, settings.emaDecay);
  const rng = new Rng(1);
  const clip = () => Uint8Array.from({ length: frames * size * size * 3 }, () => rng.int(256));
  const labelled = Array.from({ length: settings.batchSize }, clip);
  const unlabelled = Array.from({ length: mode === 'model-step' ? 0 : settings.batchSize * settings.mu }, clip);
  const batch = { labelled, labels: labelled.map((_, i) => i % 10), unlabelled, unlabelledIndices: unlabelled.map((_, i) => i) };
  const step = (k) =>
    shardedTrainStep({ model, optimizer, settings, batch, step: k, totalSteps: 1000, flex: null, ema, rng, workers, shards, microBatches: plan.perShard, stage: 'train', heads: NO_HEADS });
  try {
    // Two warm-up steps: the first compiles the shaders, the second uploads what the first left on the CPU.
    await step(0);
    await step(1);
    const before = { tensors: tf.memory().numTensors, gpu: gpuBytes() };
    const started = performance.now();
    for (let k = 2; k < steps + 2; k++) await step(k);
    const seconds = (performance.now() - started) / 1000 / steps;
    return {
      msPerStep: Math.round(seconds * 1000),
      clipsPerSec: Math.round((64 / seconds) * 100) / 100,
      threads: shards,
      microBatches: plan.perShard,
      rowsPerMicroBatch: plan.rows,
      mibPerRow: Math.round((cost.bytes / 2 ** 20) * 10) / 10,
      leakedTensors: tf.memory().numTensors - before.tensors,
      leakedGpuBytes: before.gpu === null ? null : gpuBytes() - before.gpu,
    };
  } finally {
    await workers?.close();
    ema?.dispose();
    model.dispose();
  }
}

function pytorch(device) {
  const script = path.join(import.meta.dirname, 'pytorch', 'throughput.py');
  const args = [script, '--device', device, '--threads', String(device === 'cpu' ? threads : os.availableParallelism()), '--frames', String(frames), '--size', String(size), '--steps', String(Math.max(steps, 3)), '--warmup', '1', '--modes', values.modes];
  const python = process.env.PYTHON ?? '/usr/bin/python3';
  const run = spawnSync(python, args, { encoding: 'utf8' });
  if (run.status !== 0) return { error: (run.stderr || run.error?.message || 'failed').trim().split('\n').pop() };
  return Object.fromEntries(run.stdout.trim().split('\n').map((line) => JSON.parse(line)).map((r) => [r.mode, { msPerStep: r.msPerStep, clipsPerSec: r.clipsPerSec, device: r.device, torch: r.torch }]));
}

const ours = {};
for (const mode of values.modes.split(',')) ours[mode] = await measure(mode);
const reference = values.pytorch ? pytorch(values.pytorch) : null;
const rows = Object.entries(ours).map(([mode, mine]) => {
  const theirs = reference?.[mode] ?? null;
  return { measure: mode, ours: mine, pytorch: theirs, oursOverPytorch: theirs?.clipsPerSec ? Math.round((mine.clipsPerSec / theirs.clipsPerSec) * 1000) / 1000 : null };
});
const result = {
  bench: 'gpu-throughput',
  spec: { frames, size },
  backend: { name: backend.name, reason: backend.reason, adapter: backend.adapter ?? null },
  steps,
  rows,
  ...(reference?.error ? { pytorchError: reference.error } : {}),
  ...(SMOKE ? { smoke: true } : {}),
  machine: machineRecord({ backend: backend.name }),
};
console.log(JSON.stringify(result, null, 2));
