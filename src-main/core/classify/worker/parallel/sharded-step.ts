/**
 * One training step split across threads, and each thread's shard into micro-batches when the step would
 * not fit its memory budget: shard 0 runs here while the gradient threads compute the others from the same
 * weights; the micro-batches' gradients add up to the step's, which updates the model here (SGD,
 * pseudo-label thresholds and alignment, EMA) exactly as a single-thread step does. With no gradient threads it is that step.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../../shared/training.js';
import type { EmaWeights } from '../methods/ema-weights.js';
import type { ClassThresholds } from '../methods/class-thresholds.js';
import type { DistributionAlignment } from '../methods/distribution-alignment.js';
import type { StepGradients } from '../methods/step-gradients.js';
import { applyStepGradients, checkFlexIndices, pseudoLabelRule, updatePseudoLabelState, type PseudoLabelState, type TrainStepResult } from '../methods/train-step.js';
import type { Rng } from '../../../engine/random.js';
import type { ExtraHeads } from '../models/extra-heads.js';
import type { StepBytes, TrainingStage } from '../train/step-tensors.js';
import { flattenTensors, trainableShapes, unflattenTensors } from '../../../engine/worker/parallel/flat-tensors.js';
import type { ShardResult } from './gradient-messages.js';
import type { GradientWorkers } from './gradient-workers.js';
import { addValues, concatProbs, localMicroBatches, remoteMicroBatches } from './micro-batches.js';
import { splitEvenly, splitStep } from './shard-plan.js';

export interface ShardedStepInput {
  model: tf.LayersModel;
  optimizer: tf.MomentumOptimizer;
  settings: TrainSettings;
  batch: StepBytes & { unlabelledIndices: number[] };
  step: number;
  totalSteps: number;
  thresholds: ClassThresholds | null;
  alignment: DistributionAlignment | null;
  ema: EmaWeights | null;
  /** This step's EMA decay instead of the warmed-up one (SVT pretraining's teacher momentum). */
  emaDecay?: number;
  /** Draws each shard's seed. */
  rng: Rng;
  /** null: the whole step runs on this thread. */
  workers: GradientWorkers | null;
  /** Shards this step is split into at most (1 + the threads it may use). */
  shards: number;
  /** Micro-batches each shard runs as, one after another, to bound the step's memory (default 1). */
  microBatches?: number;
  stage: TrainingStage;
  heads: ExtraHeads;
}

type Settled = { ok: ShardResult } | { error: unknown };

export async function shardedTrainStep(input: ShardedStepInput): Promise<TrainStepResult> {
  const { model, settings, batch, workers } = input;
  checkFlexIndices(settings, batch.unlabelled.length > 0 ? batch.unlabelledIndices : null, batch.unlabelled.length);
  const threads = Math.min(input.shards, 1 + (workers?.count ?? 0));
  const pieces = splitStep(batch, threads * Math.max(1, input.microBatches ?? 1));
  const pretraining = input.stage === 'pretrain';
  const state: PseudoLabelState = { thresholds: input.thresholds, alignment: input.alignment };
  const rule = pretraining ? null : pseudoLabelRule(settings, state);
  const common = { rule, step: input.step, totalSteps: input.totalSteps, stage: input.stage };
  const jobs = pieces.map((piece) => ({ ...piece, ...common, seed: input.rng.seed() }));
  // Each thread takes consecutive micro-batches, so its weak probabilities follow the step's unlabelled order.
  const [localJobs = [], ...remoteJobs] = splitEvenly(jobs, Math.min(threads, jobs.length));

  const weights = remoteJobs.length > 0 ? flattenTensors(model.trainableWeights.map((w) => w.read())) : null;
  const remote: Promise<Settled>[] = remoteJobs.map((threadJobs, i) =>
    remoteMicroBatches(workers as GradientWorkers, i, i === remoteJobs.length - 1 ? (weights as Float32Array) : (weights as Float32Array).slice(), threadJobs).then(
      (ok) => ({ ok }),
      (error: unknown) => ({ error }),
    ),
  );
  let local: StepGradients;
  try {
    local = await localMicroBatches(model, settings, localJobs, input.heads);
  } catch (error) {
    await Promise.all(remote);
    throw error;
  }
  let grads = local.grads;
  try {
    const results: ShardResult[] = [];
    for (const settled of await Promise.all(remote)) {
      if ('error' in settled) throw settled.error;
      results.push(settled.ok);
    }
    let values = local.values;
    if (results.length > 0) {
      const sum = flattenTensors(local.grads);
      for (const result of results) {
        if (result.grads.length !== sum.length) throw new Error(`A training thread sent ${result.grads.length} gradient values; the model has ${sum.length}.`);
        for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) + (result.grads[i] ?? 0);
        values = addValues(values, result.values);
      }
      tf.dispose(local.grads);
      grads = unflattenTensors(sum, trainableShapes(model));
    }
    const learningRate = applyStepGradients(model, input.optimizer, settings, grads, input.step, input.totalSteps);
    const weakProbs = concatProbs([local.weakProbs, ...results.map((r) => r.weakProbs)]);
    if (weakProbs !== null && !pretraining) updatePseudoLabelState(state, batch.unlabelledIndices, weakProbs);
    input.ema?.update(model, input.emaDecay);
    return { ...values, learningRate, lambdaU: local.lambdaU };
  } finally {
    tf.dispose(grads);
  }
}
