/**
 * One training step split across threads: shard 0 runs here while the gradient threads compute the others
 * from the same weights; the shards' gradients add up to the step's, which updates the model here (SGD,
 * FlexMatch thresholds, EMA) exactly as a single-thread step does. With no gradient threads it is that step.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../../shared/training.js';
import type { EmaWeights } from '../methods/ema-weights.js';
import type { FlexMatchThresholds } from '../methods/flexmatch-thresholds.js';
import type { StepValues } from '../methods/step-gradients.js';
import { applyStepGradients, checkFlexIndices, pseudoLabelRule, type TrainStepResult } from '../methods/train-step.js';
import type { Rng } from '../../../engine/random.js';
import type { ExtraHeads } from '../models/extra-heads.js';
import type { StepBytes, TrainingStage } from '../train/step-tensors.js';
import { flattenTensors, trainableShapes, unflattenTensors } from './flat-tensors.js';
import type { ShardResult } from './gradient-messages.js';
import type { GradientWorkers } from './gradient-workers.js';
import { shardGradients } from './shard-gradients.js';
import { splitStep } from './shard-plan.js';

export interface ShardedStepInput {
  model: tf.LayersModel;
  optimizer: tf.MomentumOptimizer;
  settings: TrainSettings;
  batch: StepBytes & { unlabelledIndices: number[] };
  step: number;
  totalSteps: number;
  flex: FlexMatchThresholds | null;
  ema: EmaWeights | null;
  /** Draws each shard's seed. */
  rng: Rng;
  /** null: the whole step runs on this thread. */
  workers: GradientWorkers | null;
  /** Shards this step is split into at most (1 + the threads it may use). */
  shards: number;
  stage: TrainingStage;
  heads: ExtraHeads;
}

function addValues(a: StepValues, b: StepValues): StepValues {
  return {
    loss: a.loss + b.loss,
    supervisedLoss: a.supervisedLoss + b.supervisedLoss,
    unsupervisedLoss: a.unsupervisedLoss + b.unsupervisedLoss,
    maskRate: a.maskRate + b.maskRate,
    trainAccuracy: a.trainAccuracy + b.trainAccuracy,
  };
}

function concatProbs(parts: readonly (Float32Array | null)[]): Float32Array | null {
  if (parts.some((p) => p === null)) return null;
  const arrays = parts as Float32Array[];
  const out = new Float32Array(arrays.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of arrays) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

type Settled = { ok: ShardResult } | { error: unknown };

export async function shardedTrainStep(input: ShardedStepInput): Promise<TrainStepResult> {
  const { model, settings, batch, workers } = input;
  checkFlexIndices(settings, batch.unlabelled.length > 0 ? batch.unlabelledIndices : null, batch.unlabelled.length);
  const shards = splitStep(batch, Math.min(input.shards, 1 + (workers?.count ?? 0)));
  const pretraining = input.stage === 'pretrain';
  const rule = pretraining ? null : pseudoLabelRule(settings, input.flex);
  const seeds = shards.map(() => input.rng.seed());
  const common = { rule, step: input.step, totalSteps: input.totalSteps, stage: input.stage };

  const remoteShards = shards.slice(1);
  const weights = remoteShards.length > 0 ? flattenTensors(model.trainableWeights.map((w) => w.read())) : null;
  const remote: Promise<Settled>[] = remoteShards.map((shard, i) =>
    (workers as GradientWorkers)
      .compute(i, { ...shard, ...common, seed: seeds[i + 1] ?? 0, weights: i === remoteShards.length - 1 ? (weights as Float32Array) : (weights as Float32Array).slice() })
      .then(
        (ok) => ({ ok }),
        (error: unknown) => ({ error }),
      ),
  );
  const local = await shardGradients(model, settings, { ...(shards[0] as (typeof shards)[number]), ...common, seed: seeds[0] ?? 0 }, input.heads);
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
    if (input.flex !== null && weakProbs !== null && !pretraining) input.flex.update(batch.unlabelledIndices, weakProbs);
    input.ema?.update(model);
    return { ...values, learningRate, lambdaU: local.lambdaU };
  } finally {
    tf.dispose(grads);
  }
}
