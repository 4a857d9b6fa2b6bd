#!/usr/bin/env node
/**
 * One training step of every method, and of the pretraining stage, at a given input size on one backend, as a
 * run computes it: the step's memory budget (step-memory.ts) measured and planned, the step split across
 * --threads gradient threads (wasm, cpu) and into micro-batches, then one SGD update. Proves every method runs
 * at that size (the issue's bar: 8×64×64 and 16×112×112 on wasm and on webgpu) and says how long a step took.
 * Random pixels: the cost does not depend on the content. Imports only the build and production packages.
 * Each stage runs in a process of its own, as each run starts from a fresh heap (wasm's never shrinks).
 *
 *   node bench/every-method-step.mjs [--backend wasm] [--frames 16] [--size 112] [--threads 2]
 *     [--batch-size 8] [--mu 7] [--methods fixmatch,mvpl,pretraining] [--smoke]
 * --smoke: 4×16×16, B = 2, μ = 1.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { importBuild, importTfjs } from './lib/build.mjs';
import { machineRecord } from './lib/machine.mjs';

const SMOKE = process.argv.includes('--smoke');
const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    frames: { type: 'string', default: SMOKE ? '4' : '16' },
    size: { type: 'string', default: SMOKE ? '16' : '112' },
    threads: { type: 'string', default: String(os.availableParallelism()) },
    'batch-size': { type: 'string', default: SMOKE ? '2' : '8' },
    mu: { type: 'string', default: SMOKE ? '1' : '7' },
    methods: { type: 'string' },
    child: { type: 'string' },
    smoke: { type: 'boolean', default: false },
  },
});
const tf = await importTfjs();
const { selectBackend } = await importBuild('selectBackend');
const { buildModel } = await importBuild('buildModel');
const { modelSpecFromSettings } = await importBuild('modelSpec');
const { createOptimizer } = await importBuild('optimizer');
const { trainSettingsSchema, trainingMethods, methodInfo } = await importBuild('sharedTraining');
const { Rng } = await importBuild('random');
const { shardedTrainStep } = await importBuild('shardedStep');
const { GradientWorkers } = await importBuild('gradientWorkers');
const { shardsPerStep, stepShape, trainingThreads } = await importBuild('shardPlan');
const { stepBudget, planMicroBatches, describeMicroBatches } = await importBuild('stepMemory');
const { measureRunRowCost } = await importBuild('stepMemoryProbe');
const { headsFor } = await importBuild('extraHeads');
const { freshPseudoLabelState } = await importBuild('trainStep');
const { SVT_TEACHER_VIEWS } = await importBuild('svtLoss');

const backend = await selectBackend({ ...process.env, VSSL_TF_BACKEND: values.backend });
const frames = Number(values.frames);
const size = Number(values.size);
const CLASSES = 10;
const TEACHER_DIM = 16;

/** The stages to run: each method's own step, and one pretraining step (with the supervised method's model). */
const stages = (values.methods ? values.methods.split(',') : [...trainingMethods, 'pretraining']).map((name) =>
  name === 'pretraining' ? { method: 'supervised', stage: 'pretrain' } : { method: name, stage: 'train' },
);

async function oneStep({ method, stage }) {
  const settings = trainSettingsSchema.parse({
    method,
    frames,
    size,
    batchSize: Number(values['batch-size']),
    mu: Number(values.mu),
    threads: Number(values.threads),
    flip: false,
    pretrainEpochs: stage === 'pretrain' ? 1 : 0,
    ...(methodInfo[method].teacher ? { teacherDir: '/unused' } : {}),
  });
  const heads = headsFor(settings, TEACHER_DIM);
  const threads = trainingThreads(settings.threads, backend.name, os.availableParallelism());
  const shards = shardsPerStep(settings, threads, stage);
  const budget = stepBudget(backend, settings.maxStepMemory, os.totalmem());
  const cost = await measureRunRowCost(settings, CLASSES, heads, stage);
  const plan = planMicroBatches(stepShape(settings, stage, shards), cost, budget);
  const rng = new Rng(1);
  const clip = () => Uint8Array.from({ length: methodInfo[method].clipViews * frames * size * size * 3 }, () => rng.int(256));
  const labelled = Array.from({ length: settings.batchSize }, clip);
  const unlabelled = Array.from({ length: methodInfo[method].usesUnlabelled || stage === 'pretrain' ? settings.batchSize * settings.mu : 0 }, clip);
  const uniform = () => new Float32Array(TEACHER_DIM).fill(1 / TEACHER_DIM);
  // SVT's targets: each global view's teacher softmax (uniform here). The teacher's own forward pass
  // (svt-teacher.ts) runs before the step and is not timed.
  const svtTargets = () => {
    const row = () => new Float32Array(SVT_TEACHER_VIEWS * heads.projection).fill(1 / heads.projection);
    return { labelled: labelled.map(row), unlabelled: unlabelled.map(row) };
  };
  const batch = {
    labelled,
    labels: labelled.map((_, i) => i % CLASSES),
    unlabelled,
    unlabelledIndices: unlabelled.map((_, i) => i),
    unlabelledTargets: method === 'ups' ? { labels: unlabelled.map((_, i) => (i % 3 === 0 ? -1 : i % CLASSES)), negatives: unlabelled.map((_, i) => (i % 3 === 0 ? [0] : [])) } : null,
    teacher: heads.teacher > 0 ? { labelled: labelled.map(uniform), unlabelled: unlabelled.map(uniform) } : stage === 'pretrain' && settings.pretrainObjective === 'svt' ? svtTargets() : null,
  };
  const model = buildModel(modelSpecFromSettings(settings, CLASSES, heads), { seed: 1 });
  const optimizer = createOptimizer(settings);
  // The method's own per-class thresholds (FlexMatch, FreeMatch) and distribution alignment, as a run starts them.
  const { thresholds, alignment } = freshPseudoLabelState(settings, CLASSES, unlabelled.length);
  const workers = shards > 1 ? await GradientWorkers.start(shards - 1, { settings, classes: CLASSES, backend: backend.name, heads }) : null;
  const started = performance.now();
  try {
    const result = await shardedTrainStep({ model, optimizer, settings, batch, step: 5, totalSteps: 10, thresholds, alignment, ema: null, rng, workers, shards, microBatches: plan.perShard, stage, heads });
    return {
      method,
      stage,
      ok: Number.isFinite(result.loss),
      loss: Math.round(result.loss * 1e4) / 1e4,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      threads: shards,
      microBatches: plan.perShard * shards,
      rowsPerMicroBatch: plan.rows,
      mibPerRow: Math.round((cost.bytes / 2 ** 20) * 10) / 10,
      plan: describeMicroBatches(plan, shards, budget) ?? 'the whole step at once',
    };
  } catch (error) {
    return { method, stage, ok: false, error: error instanceof Error ? error.message : String(error), seconds: Math.round((performance.now() - started) / 100) / 10 };
  } finally {
    await workers?.close();
    model.dispose();
    tf.dispose(optimizer.getWeights?.() ?? []);
  }
}

if (values.child) {
  const [method, stage] = values.child.split(':');
  console.log(JSON.stringify(await oneStep({ method, stage })));
  process.exit(0);
}

const rows = [];
for (const { method, stage } of stages) {
  const args = process.argv.slice(2).filter((a) => a !== '--smoke');
  const run = spawnSync(process.execPath, [import.meta.filename, ...args, ...(SMOKE ? ['--smoke'] : []), '--child', `${method}:${stage}`], { encoding: 'utf8' });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  let row;
  try {
    row = JSON.parse(last);
  } catch {
    row = { method, stage, ok: false, error: `the process ended with ${run.status ?? run.signal}: ${(run.stderr || '').trim().split('\n').slice(-3).join(' ')}` };
  }
  rows.push(row);
  console.error(`${row.ok ? 'ok  ' : 'FAIL'} ${row.stage === 'pretrain' ? 'pretraining' : row.method}: ${row.seconds ?? '-'} s${row.error ? ` (${row.error})` : ''}`);
}
console.log(JSON.stringify({
  bench: 'every-method-step',
  spec: { frames, size, batchSize: Number(values['batch-size']), mu: Number(values.mu) },
  backend: { name: backend.name, reason: backend.reason },
  rows,
  ...(SMOKE ? { smoke: true } : {}),
  machine: machineRecord({ backend: backend.name }),
}, null, 2));
process.exit(rows.every((r) => r.ok) ? 0 : 1);
