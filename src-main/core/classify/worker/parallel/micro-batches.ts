/**
 * One thread's part of a step as micro-batches, computed one after another so that only one micro-batch's
 * activations are alive at a time; their gradients and step values are summed, their weak probabilities
 * joined in order. Here (tensors) or on a gradient thread (flat arrays).
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../../shared/training.js';
import type { StepGradients, StepValues } from '../methods/step-gradients.js';
import type { ExtraHeads } from '../models/extra-heads.js';
import type { ShardJob, ShardResult } from './gradient-messages.js';
import type { GradientWorkers } from './gradient-workers.js';
import { shardGradients, type ShardInput } from './shard-gradients.js';

export function addValues(a: StepValues, b: StepValues): StepValues {
  return {
    loss: a.loss + b.loss,
    supervisedLoss: a.supervisedLoss + b.supervisedLoss,
    unsupervisedLoss: a.unsupervisedLoss + b.unsupervisedLoss,
    maskRate: a.maskRate + b.maskRate,
    trainAccuracy: a.trainAccuracy + b.trainAccuracy,
  };
}

export function concatProbs(parts: readonly (Float32Array | null)[]): Float32Array | null {
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

/** The micro-batches of this thread's part, at the model's current weights; the caller disposes `grads`. */
export async function localMicroBatches(model: tf.LayersModel, settings: TrainSettings, pieces: readonly ShardInput[], heads: ExtraHeads): Promise<StepGradients> {
  let total: StepGradients | null = null;
  const probs: (Float32Array | null)[] = [];
  try {
    for (const piece of pieces) {
      const next = await shardGradients(model, settings, piece, heads);
      probs.push(next.weakProbs);
      if (total === null) {
        total = next;
        continue;
      }
      const previous: tf.Tensor[] = total.grads;
      total = { ...total, grads: previous.map((g, i) => tf.add(g, next.grads[i] as tf.Tensor)), values: addValues(total.values, next.values) };
      tf.dispose([...previous, ...next.grads]);
    }
  } catch (error) {
    if (total !== null) tf.dispose(total.grads);
    throw error;
  }
  if (total === null) throw new Error('a thread got no micro-batches to compute');
  return { ...total, weakProbs: concatProbs(probs) };
}

/** The micro-batches of gradient thread `index`'s part, each sent with its own copy of `weights`. */
export async function remoteMicroBatches(workers: GradientWorkers, index: number, weights: Float32Array, pieces: readonly Omit<ShardJob, 'weights'>[]): Promise<ShardResult> {
  let total: ShardResult | null = null;
  const probs: (Float32Array | null)[] = [];
  for (const [i, piece] of pieces.entries()) {
    const next = await workers.compute(index, { ...piece, weights: i === pieces.length - 1 ? weights : weights.slice() });
    probs.push(next.weakProbs);
    if (total === null) {
      total = next;
      continue;
    }
    if (next.grads.length !== total.grads.length) throw new Error(`A training thread sent ${next.grads.length} gradient values, then ${total.grads.length}.`);
    for (let g = 0; g < total.grads.length; g++) total.grads[g] = (total.grads[g] ?? 0) + (next.grads[g] ?? 0);
    total = { ...total, values: addValues(total.values, next.values) };
  }
  if (total === null) throw new Error(`gradient thread ${index} got no micro-batches to compute`);
  return { ...total, weakProbs: concatProbs(probs) };
}
