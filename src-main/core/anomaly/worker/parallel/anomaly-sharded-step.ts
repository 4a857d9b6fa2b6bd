/**
 * One SSMTL step split across threads, and each thread's part into micro-batches when asked (to bound the
 * step's memory): part 0 runs here while the gradient threads compute the others from the same weights; the
 * parts' gradients add up to the step's, which Adam applies here once, as the single-thread step does. Not
 * split (one thread, one micro-batch), it is exactly anomalyTrainStep. Batch-norm statistics are each part's
 * own, and the moving averages the model keeps come from the parts computed on this thread.
 */
import * as tf from '@tensorflow/tfjs';
import { flattenTensors, trainableShapes, unflattenTensors } from '../../../engine/worker/parallel/flat-tensors.js';
import { splitEvenly } from '../../../engine/worker/parallel/thread-split.js';
import {
  anomalyStepGradients,
  anomalyTrainStep,
  type AnomalyTaskBatch,
  type AnomalyTrainStepResult,
  type TaskShare,
} from '../model/anomaly-train-step.js';
import type { AnomalyGradientWorkers } from './anomaly-gradient-workers.js';
import type { AnomalyShardJob, AnomalyShardResult } from './anomaly-shard.js';

export interface AnomalyShardedStepInput {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  samples: AnomalyTaskBatch;
  teacherTarget?: tf.Tensor2D | null;
  /** null: the whole step runs on this thread. */
  workers: AnomalyGradientWorkers | null;
  /** Threads the step is split across at most (this one and `workers`). */
  shards: number;
  /** Micro-batches each thread's part runs as, one after another (default 1). */
  microBatches?: number;
}

type Range = [start: number, length: number];

interface Part {
  arrow: Range;
  irregularity: Range;
  middle: Range;
  share: TaskShare;
}

const rowsOf = (t: tf.Tensor): number => t.shape[0] ?? 0;

/** `count` parts, each with consecutive rows of every task, their lengths differing by at most one. */
export function stepParts(rows: { arrow: number; irregularity: number; middle: number }, count: number): Part[] {
  const ranges = (n: number): Range[] => {
    let start = 0;
    return splitEvenly(Array.from({ length: n }, (_, i) => i), count).map((part) => {
      const range: Range = [start, part.length];
      start += part.length;
      return range;
    });
  };
  const arrow = ranges(rows.arrow);
  const irregularity = ranges(rows.irregularity);
  const middle = ranges(rows.middle);
  return arrow.map((a, i) => {
    const r = irregularity[i] as Range;
    const m = middle[i] as Range;
    return { arrow: a, irregularity: r, middle: m, share: { arrow: a[1] / rows.arrow, irregularity: r[1] / rows.irregularity, middle: m[1] / rows.middle } };
  });
}

function addResults(a: AnomalyTrainStepResult, b: AnomalyTrainStepResult): AnomalyTrainStepResult {
  return {
    loss: a.loss + b.loss,
    middleFrameLoss: a.middleFrameLoss + b.middleFrameLoss,
    arrowLoss: a.arrowLoss + b.arrowLoss,
    irregularLoss: a.irregularLoss + b.irregularLoss,
    teacherLoss: a.teacherLoss === null || b.teacherLoss === null ? null : a.teacherLoss + b.teacherLoss,
    arrowAccuracy: a.arrowAccuracy + b.arrowAccuracy,
    irregularAccuracy: a.irregularAccuracy + b.irregularAccuracy,
  };
}

const rowsAt = <T extends tf.Tensor>(t: T, [start, length]: Range): T => tf.slice(t, start, length);

/** This thread's parts, one after another; the caller disposes the summed gradients. */
async function localParts(input: AnomalyShardedStepInput, parts: readonly Part[]): Promise<{ grads: tf.Tensor[]; result: AnomalyTrainStepResult }> {
  const { samples } = input;
  let total: { grads: tf.Tensor[]; result: AnomalyTrainStepResult } | null = null;
  try {
    for (const part of parts) {
      const sliced = {
        arrow: { input: rowsAt(samples.arrow.input, part.arrow), labels: rowsAt(samples.arrow.labels, part.arrow) },
        irregularity: { input: rowsAt(samples.irregularity.input, part.irregularity), labels: rowsAt(samples.irregularity.labels, part.irregularity) },
        middle: { input: rowsAt(samples.middle.input, part.middle), target: rowsAt(samples.middle.target, part.middle) },
      };
      const teacher = input.teacherTarget ? rowsAt(input.teacherTarget, part.middle) : null;
      const owned = [sliced.arrow.input, sliced.arrow.labels, sliced.irregularity.input, sliced.irregularity.labels, sliced.middle.input, sliced.middle.target, ...(teacher ? [teacher] : [])];
      let next;
      try {
        next = await anomalyStepGradients({ model: input.model, samples: sliced, teacherTarget: teacher, share: part.share });
      } finally {
        tf.dispose(owned);
      }
      const grads = next.grads.map((g) => g.tensor);
      if (total === null) {
        total = { grads, result: next.result };
        continue;
      }
      const previous: tf.Tensor[] = total.grads;
      total = { grads: previous.map((g, i) => tf.add(g, grads[i] as tf.Tensor)), result: addResults(total.result, next.result) };
      tf.dispose([...previous, ...grads]);
    }
  } catch (error) {
    if (total !== null) tf.dispose(total.grads);
    throw error;
  }
  if (total === null) throw new Error('anomaly training: this thread got no part of the step');
  return total;
}

interface StepArrays {
  arrow: { input: Float32Array; labels: Int32Array };
  irregularity: { input: Float32Array; labels: Int32Array };
  middle: { input: Float32Array; target: Float32Array };
  teacher: Float32Array | null;
}

async function stepArrays(samples: AnomalyTaskBatch, teacher: tf.Tensor2D | null): Promise<StepArrays> {
  const [ai, al, ri, rl, mi, mt, t] = await Promise.all([
    samples.arrow.input.data<'float32'>(),
    samples.arrow.labels.data<'int32'>(),
    samples.irregularity.input.data<'float32'>(),
    samples.irregularity.labels.data<'int32'>(),
    samples.middle.input.data<'float32'>(),
    samples.middle.target.data<'float32'>(),
    teacher === null ? Promise.resolve(null) : teacher.data<'float32'>(),
  ]);
  return { arrow: { input: ai, labels: al }, irregularity: { input: ri, labels: rl }, middle: { input: mi, target: mt }, teacher: t };
}

/** A part's rows as the job a gradient thread takes (copies: a view would carry its whole buffer across). */
function shardJob(arrays: StepArrays, part: Part, frame: [number, number, number], weights: Float32Array): AnomalyShardJob {
  const frameSize = frame[0] * frame[1] * frame[2];
  const take = <A extends Float32Array | Int32Array>(values: A, [start, length]: Range, rowSize: number): A => values.slice(start * rowSize, (start + length) * rowSize) as A;
  const clip = 6 * frameSize;
  const teacherDim = arrays.teacher === null ? 0 : arrays.teacher.length / Math.max(1, arrays.middle.target.length / frameSize);
  return {
    weights,
    frame,
    arrow: { input: take(arrays.arrow.input, part.arrow, clip), labels: take(arrays.arrow.labels, part.arrow, 1) },
    irregularity: { input: take(arrays.irregularity.input, part.irregularity, clip), labels: take(arrays.irregularity.labels, part.irregularity, 1) },
    middle: { input: take(arrays.middle.input, part.middle, clip), target: take(arrays.middle.target, part.middle, frameSize) },
    teacher: arrays.teacher === null ? null : take(arrays.teacher, part.middle, teacherDim),
    share: part.share,
  };
}

/** Gradient thread `index`'s parts, one after another, summed. */
async function remoteParts(workers: AnomalyGradientWorkers, index: number, jobs: () => AnomalyShardJob[]): Promise<AnomalyShardResult> {
  let total: AnomalyShardResult | null = null;
  for (const job of jobs()) {
    const next = await workers.compute(index, job);
    if (total === null) {
      total = next;
      continue;
    }
    if (next.grads.length !== total.grads.length) throw new Error(`An anomaly training thread sent ${next.grads.length} gradient values, then ${total.grads.length}.`);
    for (let g = 0; g < total.grads.length; g++) total.grads[g] = (total.grads[g] ?? 0) + (next.grads[g] ?? 0);
    total = { grads: total.grads, result: addResults(total.result, next.result) };
  }
  if (total === null) throw new Error(`anomaly gradient thread ${index} got no part of the step`);
  return total;
}

type Settled = { ok: AnomalyShardResult } | { error: unknown };

export async function anomalyShardedStep(input: AnomalyShardedStepInput): Promise<AnomalyTrainStepResult> {
  const { model, samples, workers } = input;
  const threads = Math.max(1, Math.min(input.shards, 1 + (workers?.count ?? 0)));
  const rows = { arrow: rowsOf(samples.arrow.input), irregularity: rowsOf(samples.irregularity.input), middle: rowsOf(samples.middle.input) };
  const count = Math.min(threads * Math.max(1, input.microBatches ?? 1), rows.arrow, rows.irregularity, rows.middle);
  if (count <= 1) return anomalyTrainStep(input);
  const parts = stepParts(rows, count);
  const [local = [], ...remote] = splitEvenly(parts, Math.min(threads, parts.length));

  let settled: Promise<Settled>[] = [];
  if (remote.length > 0 && workers !== null) {
    const arrays = await stepArrays(samples, input.teacherTarget ?? null);
    const weights = flattenTensors(model.trainableWeights.map((w) => w.read()));
    const [, , size = 0, , channels = 0] = samples.middle.input.shape;
    const frame: [number, number, number] = [size, size, channels];
    settled = remote.map((threadParts, i) =>
      remoteParts(workers, i, () => threadParts.map((part) => shardJob(arrays, part, frame, weights.slice()))).then(
        (ok) => ({ ok }),
        (error: unknown) => ({ error }),
      ),
    );
  }
  let mine;
  try {
    mine = await localParts(input, local);
  } catch (error) {
    await Promise.all(settled);
    throw error;
  }
  let grads = mine.grads;
  try {
    let result = mine.result;
    const others: AnomalyShardResult[] = [];
    for (const s of await Promise.all(settled)) {
      if ('error' in s) throw s.error;
      others.push(s.ok);
    }
    if (others.length > 0) {
      const sum = flattenTensors(mine.grads);
      for (const other of others) {
        if (other.grads.length !== sum.length) throw new Error(`An anomaly training thread sent ${other.grads.length} gradient values; the model has ${sum.length}.`);
        for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) + (other.grads[i] ?? 0);
        result = addResults(result, other.result);
      }
      tf.dispose(mine.grads);
      grads = unflattenTensors(sum, trainableShapes(model));
    }
    // The same variables in the same order as anomalyTrainStep gives Adam (its moments go by position).
    input.optimizer.applyGradients(model.trainableWeights.map((w, i) => ({ name: (w.read() as tf.Variable).name, tensor: grads[i] as tf.Tensor })));
    return result;
  } finally {
    tf.dispose(grads);
  }
}
