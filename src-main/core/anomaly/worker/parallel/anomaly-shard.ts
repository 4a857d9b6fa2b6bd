/**
 * One part of an SSMTL step as plain arrays (what crosses to a gradient thread), and its gradients: the part
 * holds consecutive rows of every task's samples and its share of each, so the parts' gradients add up to
 * the step's (each part with its own batch-norm statistics, as PyTorch's DistributedDataParallel does).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../../engine/backend-choice.js';
import type { GradientsResult, WeightsJob } from '../../../engine/worker/parallel/gradient-messages.js';
import { flattenTensors } from '../../../engine/worker/parallel/flat-tensors.js';
import type { AnomalyModelSpec } from '../model/anomaly-model-spec.js';
import { anomalyStepGradients, type AnomalyGradientInput, type AnomalyTrainStepResult, type TaskShare } from '../model/anomaly-train-step.js';

export interface AnomalyGradientInit {
  spec: AnomalyModelSpec;
  /** The backend the job runs on; the thread activates the same one. */
  backend: BackendName;
}

/** A task's rows of one part: `input` [n, 6, S, S, C] and int32 `labels` [n] (arrow, irregularity) or `target` [n, S, S, C] (middle frame). */
export interface ShardRows {
  input: Float32Array;
  labels?: Int32Array;
  target?: Float32Array;
}

export interface AnomalyShardJob extends WeightsJob {
  /** S, S, C of a frame. */
  frame: [number, number, number];
  arrow: ShardRows;
  irregularity: ShardRows;
  middle: ShardRows;
  /** The teacher's features of the middle-frame rows [n, teacherDim], or null. */
  teacher: Float32Array | null;
  share: TaskShare;
}

export interface AnomalyShardResult extends GradientsResult {
  result: AnomalyTrainStepResult;
}

const FRAMES = 6;

function rowsOf(values: Float32Array, rowSize: number, what: string): number {
  const n = values.length / rowSize;
  if (!Number.isInteger(n) || n === 0) throw new Error(`an anomaly shard's ${what} has ${values.length} values, not a whole number of rows of ${rowSize}`);
  return n;
}

/** The job's arrays as the step's tensors (the caller disposes `owned`). */
export function shardInput(model: tf.LayersModel, job: AnomalyShardJob): { input: AnomalyGradientInput; owned: tf.Tensor[] } {
  const frameSize = job.frame[0] * job.frame[1] * job.frame[2];
  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  const clips = (rows: ShardRows, what: string) => own(tf.tensor5d(rows.input, [rowsOf(rows.input, FRAMES * frameSize, what), FRAMES, ...job.frame]));
  const labels = (rows: ShardRows, what: string) => {
    if (rows.labels === undefined) throw new Error(`an anomaly shard's ${what} has no labels`);
    return own(tf.tensor1d(rows.labels, 'int32'));
  };
  if (job.middle.target === undefined) throw new Error("an anomaly shard's middle frame has no target");
  const middleRows = rowsOf(job.middle.target, frameSize, 'middle-frame target');
  const samples = {
    arrow: { input: clips(job.arrow, 'arrow of time'), labels: labels(job.arrow, 'arrow of time') },
    irregularity: { input: clips(job.irregularity, 'motion irregularity'), labels: labels(job.irregularity, 'motion irregularity') },
    middle: { input: clips(job.middle, 'middle frame'), target: own(tf.tensor4d(job.middle.target, [middleRows, ...job.frame])) },
  };
  const teacher = job.teacher === null ? null : own(tf.tensor2d(job.teacher, [middleRows, job.teacher.length / middleRows]));
  return { input: { model, samples, teacherTarget: teacher, share: job.share }, owned };
}

/** A part's gradients at the model's current weights, flattened in `model.trainableWeights` order. */
export async function anomalyShardGradients(model: tf.LayersModel, job: AnomalyShardJob): Promise<AnomalyShardResult> {
  const { input, owned } = shardInput(model, job);
  try {
    const { grads, result } = await anomalyStepGradients(input);
    try {
      return { grads: flattenTensors(grads.map((g) => g.tensor)), result };
    } finally {
      tf.dispose(grads.map((g) => g.tensor));
    }
  } finally {
    tf.dispose(owned);
  }
}
