import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainSettingsSchema, type TrainSettings } from '../../../../shared/training.js';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { EmaWeights } from '../methods/ema-weights.js';
import { SvtCentre, svtTeacherMomentum } from '../methods/svt-loss.js';
import { svtTeacherStep } from '../train/svt-teacher.js';
import { FlexMatchThresholds } from '../methods/flexmatch-thresholds.js';
import { createOptimizer } from '../methods/optimizer.js';
import { applyStepGradients, freshPseudoLabelState, pseudoLabelRule, updatePseudoLabelState } from '../methods/train-step.js';
import type { StepGradients } from '../methods/step-gradients.js';
import { buildModel } from '../models/build-model.js';
import { headsFor, NO_HEADS } from '../models/extra-heads.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import { Rng } from '../../../engine/random.js';
import { flattenTensors } from '../../../engine/worker/parallel/flat-tensors.js';
import { GradientWorkers } from './gradient-workers.js';
import { shardGradients } from './shard-gradients.js';
import { splitStep } from './shard-plan.js';
import { shardedTrainStep } from './sharded-step.js';

const settings: TrainSettings = trainSettingsSchema.parse({ method: 'flexmatch', frames: 4, size: 16, width: 4, depth: 2, batchSize: 4, mu: 6, flip: false });
const classes = 3;
const oneStage = { shards: 2, stage: 'train', heads: NO_HEADS } as const;
let scratch = '';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-shards-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function stepBatch(seed: number) {
  const rng = new Rng(seed);
  const clip = (): Uint8Array => Uint8Array.from({ length: settings.frames * settings.size * settings.size * 3 }, () => rng.int(256));
  const labelled = Array.from({ length: settings.batchSize }, clip);
  const unlabelled = Array.from({ length: settings.batchSize * settings.mu }, clip);
  return { labelled, labels: labelled.map((_, i) => i % classes), unlabelled, unlabelledIndices: unlabelled.map((_, i) => i) };
}

function parts() {
  const model = buildModel(modelSpecFromSettings(settings, classes), { seed: 7 });
  return {
    model,
    optimizer: createOptimizer(settings),
    thresholds: new FlexMatchThresholds(settings.batchSize * settings.mu, classes, settings.threshold, settings.flexWarmup),
    alignment: null,
    ema: new EmaWeights(model, settings.emaDecay),
  };
}

function dispose(p: { model: tf.LayersModel; optimizer: tf.MomentumOptimizer; ema: EmaWeights }): void {
  p.ema.dispose();
  p.optimizer.dispose();
  p.model.dispose();
}

/** A worker script that starts like a gradient thread and exits on its first shard, as a crashed thread would. */
function crashingScript(): string {
  const file = path.join(scratch, 'crashing-gradient-worker.mjs');
  fs.writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => { if (m.type === 'init') parentPort.postMessage({ type: 'ready' }); else process.exit(3); });`,
  );
  return file;
}

/** The shards' gradients computed one after another on this thread (each with the seed a split step draws for it), and their sum. */
async function shardsOnOneThread(
  model: tf.LayersModel,
  stepSettings: TrainSettings,
  shards: ReturnType<typeof splitStep>,
  { rule, step, rng }: { rule: ReturnType<typeof pseudoLabelRule>; step: number; rng: Rng },
): Promise<{ computed: StepGradients[]; summed: tf.Tensor[] }> {
  const seeds = shards.map(() => rng.seed());
  const computed: StepGradients[] = [];
  for (const [i, shard] of shards.entries()) {
    computed.push(await shardGradients(model, stepSettings, { ...shard, rule, step, totalSteps: 10, seed: seeds[i] ?? 0, stage: 'train' }, NO_HEADS));
  }
  const summed = (computed[0]?.grads ?? []).map((_, w) => tf.addN(computed.map((c) => c.grads[w] as tf.Tensor)));
  return { computed, summed };
}

describe('a step split across gradient threads', () => {
  it('updates the weights and FlexMatch thresholds exactly as the same shards computed on one thread', async () => {
    const batch = stepBatch(1);
    const parallel = parts();
    const reference = parts();
    const before = tf.memory().numTensors;
    const workers = await GradientWorkers.start(1, { settings, classes, backend: 'wasm', heads: NO_HEADS });
    try {
      for (let step = 0; step < 2; step++) {
        const rng = new Rng(100 + step);
        const result = await shardedTrainStep({ ...parallel, settings, batch, step, totalSteps: 10, rng, workers, ...oneStage });
        expect(Number.isFinite(result.loss)).toBe(true);
        expect(result.loss).toBeCloseTo(result.supervisedLoss + result.lambdaU * result.unsupervisedLoss, 4);

        // The same two shards, one after the other on this thread, from the same seeds.
        const referenceRng = new Rng(100 + step);
        const rule = pseudoLabelRule(settings, reference);
        const { computed, summed } = await shardsOnOneThread(reference.model, settings, splitStep(batch, 2), { rule, step, rng: referenceRng });
        applyStepGradients(reference.model, reference.optimizer, settings, summed, step, 10);
        reference.thresholds.update(batch.unlabelledIndices, Float32Array.from([...(computed[0]?.weakProbs ?? []), ...(computed[1]?.weakProbs ?? [])]));
        reference.ema.update(reference.model);
        tf.dispose([...summed, ...computed.flatMap((c) => c.grads)]);
        expect(result.maskRate).toBeCloseTo((computed[0]?.values.maskRate ?? NaN) + (computed[1]?.values.maskRate ?? NaN), 6);
      }
      const got = flattenTensors(parallel.model.trainableWeights.map((w) => w.read()));
      const want = flattenTensors(reference.model.trainableWeights.map((w) => w.read()));
      const initial = flattenTensors(buildModel(modelSpecFromSettings(settings, classes), { seed: 7 }).trainableWeights.map((w) => w.read()));
      let largest = 0;
      let moved = 0;
      for (let i = 0; i < got.length; i++) {
        largest = Math.max(largest, Math.abs((got[i] ?? 0) - (want[i] ?? 0)));
        moved = Math.max(moved, Math.abs((got[i] ?? 0) - (initial[i] ?? 0)));
      }
      expect(moved).toBeGreaterThan(1e-3);
      expect(largest).toBeLessThan(1e-5);
      expect(parallel.thresholds.classThresholds()).toEqual(reference.thresholds.classThresholds());
    } finally {
      await workers.close();
      dispose(reference);
      dispose(parallel);
    }
    // The throwaway model above made tensors of its own; everything the steps made is gone.
    tf.disposeVariables();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('FreeMatch with distribution alignment: the weights, thresholds and alignment after two split steps are those of its shards on one thread', async () => {
    const free: TrainSettings = trainSettingsSchema.parse({ ...settings, method: 'freematch', distributionAlignment: true, freeMatchMomentum: 0.5 });
    const batch = stepBatch(2);
    const fresh = () => {
      const model = buildModel(modelSpecFromSettings(free, classes), { seed: 7 });
      return { model, optimizer: createOptimizer(free), ema: new EmaWeights(model, free.emaDecay), ...freshPseudoLabelState(free, classes, batch.unlabelled.length, [0, 1, 2, 0]) };
    };
    const parallel = fresh();
    const reference = fresh();
    const before = tf.memory().numTensors;
    const workers = await GradientWorkers.start(1, { settings: free, classes, backend: 'wasm', heads: NO_HEADS });
    try {
      for (let step = 0; step < 2; step++) {
        const result = await shardedTrainStep({ ...parallel, settings: free, batch, step, totalSteps: 10, rng: new Rng(200 + step), workers, ...oneStage });
        expect(Number.isFinite(result.loss)).toBe(true);
        const referenceRng = new Rng(200 + step);
        const rule = pseudoLabelRule(free, reference);
        expect(rule?.fairness?.weight).toBe(free.fairnessWeight);
        expect(rule?.alignment).toHaveLength(classes);
        const { computed, summed } = await shardsOnOneThread(reference.model, free, splitStep(batch, 2), { rule, step, rng: referenceRng });
        applyStepGradients(reference.model, reference.optimizer, free, summed, step, 10);
        // Once per step, from every shard's weak probabilities.
        updatePseudoLabelState(reference, batch.unlabelledIndices, Float32Array.from(computed.flatMap((c) => [...(c.weakProbs ?? [])])));
        reference.ema.update(reference.model);
        tf.dispose([...summed, ...computed.flatMap((c) => c.grads)]);
      }
      const got = flattenTensors(parallel.model.trainableWeights.map((w) => w.read()));
      const want = flattenTensors(reference.model.trainableWeights.map((w) => w.read()));
      expect(Math.max(...got.map((v, i) => Math.abs(v - (want[i] ?? 0))))).toBeLessThan(1e-5);
      const thresholds = parallel.thresholds?.classThresholds() ?? [];
      // λ = 0.5: two steps move the thresholds well off 1/C.
      expect(thresholds.some((t) => Math.abs(t - 1 / classes) > 0.01)).toBe(true);
      thresholds.forEach((t, c) => expect(t).toBeCloseTo(reference.thresholds?.classThresholds()[c] ?? NaN, 6));
      parallel.alignment?.ratios().forEach((r, c) => expect(r).toBeCloseTo(reference.alignment?.ratios()[c] ?? NaN, 6));
    } finally {
      await workers.close();
      dispose(reference);
      dispose(parallel);
    }
    tf.disposeVariables();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('splits each thread\'s shard into micro-batches: the same weights and FlexMatch thresholds as those four shards summed on one thread', async () => {
    const batch = stepBatch(4);
    const split = parts();
    const reference = parts();
    const before = tf.memory().numTensors;
    const workers = await GradientWorkers.start(1, { settings, classes, backend: 'wasm', heads: NO_HEADS });
    try {
      for (let step = 0; step < 2; step++) {
        const result = await shardedTrainStep({ ...split, settings, batch, step, totalSteps: 10, rng: new Rng(300 + step), workers, ...oneStage, microBatches: 2 });
        const referenceRng = new Rng(300 + step);
        const rule = pseudoLabelRule(settings, reference);
        const { computed, summed } = await shardsOnOneThread(reference.model, settings, splitStep(batch, 4), { rule, step, rng: referenceRng });
        applyStepGradients(reference.model, reference.optimizer, settings, summed, step, 10);
        reference.thresholds.update(batch.unlabelledIndices, Float32Array.from(computed.flatMap((c) => [...(c.weakProbs ?? [])])));
        reference.ema.update(reference.model);
        tf.dispose([...summed, ...computed.flatMap((c) => c.grads)]);
        expect(result.loss).toBeCloseTo(computed.reduce((n, c) => n + c.values.loss, 0), 5);
      }
      const got = flattenTensors(split.model.trainableWeights.map((w) => w.read()));
      const want = flattenTensors(reference.model.trainableWeights.map((w) => w.read()));
      let largest = 0;
      for (let i = 0; i < got.length; i++) largest = Math.max(largest, Math.abs((got[i] ?? 0) - (want[i] ?? 0)));
      expect(largest).toBeLessThan(1e-5);
      expect(split.thresholds.classThresholds()).toEqual(reference.thresholds.classThresholds());
      // The EMA of the trainable weights; batch norm's moving statistics are copied from the thread that ran here.
      const trainable = (ema: EmaWeights): tf.Tensor[] => split.model.weights.flatMap((w, i) => (w.trainable ? [ema.tensors()[i] as tf.Tensor] : []));
      const emaGot = flattenTensors(trainable(split.ema));
      const emaWant = flattenTensors(trainable(reference.ema));
      expect(Math.max(...emaGot.map((v, i) => Math.abs(v - (emaWant[i] ?? 0))))).toBeLessThan(1e-5);
    } finally {
      await workers.close();
      dispose(reference);
      dispose(split);
    }
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it("carries VideoSSL's teacher head and the pretraining projection through a thread: the same weights as one thread", async () => {
    const videossl = trainSettingsSchema.parse({ ...settings, method: 'videossl', pretrainEpochs: 1, pretrainObjective: 'contrast' });
    const heads = headsFor(videossl, 2);
    const make = () => {
      const model = buildModel(modelSpecFromSettings(videossl, classes, heads), { seed: 9 });
      return { model, optimizer: createOptimizer(videossl), ema: new EmaWeights(model, videossl.emaDecay) };
    };
    const parallel = make();
    const reference = make();
    const batch = stepBatch(3);
    const row = (i: number): Float32Array => Float32Array.of(i % 2 === 0 ? 0.8 : 0.3, i % 2 === 0 ? 0.2 : 0.7);
    const teacher = { labelled: batch.labelled.map((_, i) => row(i)), unlabelled: batch.unlabelled.map((_, i) => row(i + 1)) };
    const workers = await GradientWorkers.start(1, { settings: videossl, classes, backend: 'wasm', heads });
    try {
      for (const [step, stage] of [[0, 'pretrain'], [1, 'train']] as const) {
        const stepBytes = stage === 'train' ? { ...batch, teacher } : batch;
        const rng = new Rng(200 + step);
        await shardedTrainStep({ ...parallel, settings: videossl, batch: stepBytes, step, totalSteps: 10, rng, workers, thresholds: null, alignment: null, shards: 2, stage, heads });
        const referenceRng = new Rng(200 + step);
        const seeds = [referenceRng.seed(), referenceRng.seed()];
        const rule = stage === 'train' ? pseudoLabelRule(videossl, null) : null;
        const computed: StepGradients[] = [];
        for (const [i, shard] of splitStep(stepBytes, 2).entries()) {
          computed.push(await shardGradients(reference.model, videossl, { ...shard, rule, step, totalSteps: 10, seed: seeds[i] ?? 0, stage }, heads));
        }
        const summed = computed[0]?.grads.map((g, i) => tf.add(g, computed[1]?.grads[i] as tf.Tensor)) ?? [];
        applyStepGradients(reference.model, reference.optimizer, videossl, summed, step, 10);
        reference.ema.update(reference.model);
        tf.dispose([...summed, ...computed.flatMap((c) => c.grads)]);
      }
      const got = flattenTensors(parallel.model.trainableWeights.map((w) => w.read()));
      const want = flattenTensors(reference.model.trainableWeights.map((w) => w.read()));
      let largest = 0;
      for (let i = 0; i < got.length; i++) largest = Math.max(largest, Math.abs((got[i] ?? 0) - (want[i] ?? 0)));
      expect(largest).toBeLessThan(1e-5);
    } finally {
      await workers.close();
      for (const p of [parallel, reference]) {
        p.ema.dispose();
        p.optimizer.dispose();
        p.model.dispose();
      }
    }
  });

  it("gives an SVT pretraining step split across a thread the same weights and teacher as its shards on one thread", async () => {
    const svt = trainSettingsSchema.parse({ ...settings, pretrainEpochs: 1, pretrainObjective: 'svt' });
    const heads = headsFor(svt, 0);
    const make = () => {
      const model = buildModel(modelSpecFromSettings(svt, classes, heads), { seed: 11 });
      return { model, optimizer: createOptimizer(svt), ema: new EmaWeights(model, svt.emaDecay) };
    };
    const parallel = make();
    const reference = make();
    const batch = stepBatch(5);
    const spec = { frames: svt.frames, size: svt.size, fps: svt.fps };
    const workers = await GradientWorkers.start(1, { settings: svt, classes, backend: 'wasm', heads });
    let afterFirst = 0;
    try {
      for (const step of [0, 1]) {
        const centre = SvtCentre.zeros(heads.projection);
        const { targets } = await svtTeacherStep({ ...parallel, heads, centre }, batch, spec, svt, new Rng(40 + step));
        const stepBytes = { ...batch, teacher: targets };
        const emaDecay = svtTeacherMomentum(step, 10);
        const result = await shardedTrainStep({ ...parallel, settings: svt, batch: stepBytes, step, totalSteps: 10, rng: new Rng(300 + step), workers, thresholds: null, alignment: null, emaDecay, shards: 2, stage: 'pretrain', heads });
        expect(result.supervisedLoss).toBe(0);
        expect(result.unsupervisedLoss).toBeGreaterThan(0);
        const referenceRng = new Rng(300 + step);
        const seeds = [referenceRng.seed(), referenceRng.seed()];
        const computed: StepGradients[] = [];
        for (const [i, shard] of splitStep(stepBytes, 2).entries()) {
          computed.push(await shardGradients(reference.model, svt, { ...shard, rule: null, step, totalSteps: 10, seed: seeds[i] ?? 0, stage: 'pretrain' }, heads));
        }
        expect(result.loss).toBeCloseTo((computed[0]?.values.loss ?? NaN) + (computed[1]?.values.loss ?? NaN), 5);
        const summed = computed[0]?.grads.map((g, i) => tf.add(g, computed[1]?.grads[i] as tf.Tensor)) ?? [];
        applyStepGradients(reference.model, reference.optimizer, svt, summed, step, 10);
        reference.ema.update(reference.model, emaDecay);
        tf.dispose([...summed, ...computed.flatMap((c) => c.grads)]);
        // The optimizers make their momentum slots on the first step; after that a step leaves no tensor behind.
        if (step === 0) afterFirst = tf.memory().numTensors;
      }
      const largestGap = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? NaN))), 0);
      expect(largestGap(flattenTensors(parallel.model.trainableWeights.map((w) => w.read())), flattenTensors(reference.model.trainableWeights.map((w) => w.read())))).toBeLessThan(1e-5);
      // The teacher (the EMA of the trainable weights) moved with the cosine momentum alike. Batch-norm statistics are
      // copied, not averaged, and a thread's shard moves only its own model's, as for every method.
      const teacherOf = (p: { model: tf.LayersModel; ema: EmaWeights }) => flattenTensors(p.ema.tensors().filter((_, i) => p.model.weights[i]?.trainable === true));
      expect(largestGap(teacherOf(parallel), teacherOf(reference))).toBeLessThan(1e-5);
      expect(tf.memory().numTensors).toBe(afterFirst);
    } finally {
      await workers.close();
      for (const p of [parallel, reference]) {
        p.ema.dispose();
        p.optimizer.dispose();
        p.model.dispose();
      }
    }
  });

  it('fails the step, saying which thread stopped, and leaves the weights as they were', async () => {
    const p = parts();
    const workers = await GradientWorkers.start(1, { settings, classes, backend: 'wasm', heads: NO_HEADS }, crashingScript());
    const weights = flattenTensors(p.model.trainableWeights.map((w) => w.read()));
    const before = tf.memory().numTensors;
    try {
      await expect(shardedTrainStep({ ...p, settings, batch: stepBatch(2), step: 0, totalSteps: 10, rng: new Rng(1), workers, ...oneStage })).rejects.toThrow(
        'Training thread 2 of 2 exited unexpectedly (exit code 3).',
      );
      expect(tf.memory().numTensors).toBe(before);
      expect(flattenTensors(p.model.trainableWeights.map((w) => w.read()))).toEqual(weights);
      // The thread is gone: the next step fails at once with the same reason.
      await expect(shardedTrainStep({ ...p, settings, batch: stepBatch(2), step: 0, totalSteps: 10, rng: new Rng(1), workers, ...oneStage })).rejects.toThrow(/exited unexpectedly/);
    } finally {
      await workers.close();
      dispose(p);
    }
  });

  it('says why a gradient thread could not start', async () => {
    const file = path.join(scratch, 'refusing-gradient-worker.mjs');
    fs.writeFileSync(file, `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => parentPort.postMessage({ type: 'error', id: null, message: 'no backend here' }));`);
    await expect(GradientWorkers.start(1, { settings, classes, backend: 'wasm', heads: NO_HEADS }, file)).rejects.toThrow('Training thread 2 of 2: no backend here');
  });
});
