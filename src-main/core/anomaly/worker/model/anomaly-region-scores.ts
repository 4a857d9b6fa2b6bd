/**
 * Per-region SSMTL task scores, higher = more anomalous: the middle frame's mean absolute error,
 * P(backward) from the arrow-of-time head on the frames in their real order, P(irregular), and the
 * mean absolute gap to the teacher's features when the model distils one and the teacher's features
 * are given. One forward pass over a region's 6 non-middle frames gives every head's output.
 */
import * as tf from '@tensorflow/tfjs';
import { ANOMALY_TASKS } from '../score/frame-scores.js';
import { middleFrameSamples, type MiddleFrameSamples } from '../tasks/task-samples.js';
import { hasHead } from './anomaly-forward.js';

export interface RegionScores {
  middleFrameError: Float32Array;
  backward: Float32Array;
  irregular: Float32Array;
  /** Null when the model has no distillation head or no teacher features were given. */
  teacherGap: Float32Array | null;
}

export interface RegionScoreOptions {
  /** The teacher's features of each region's middle frame [N, teacherDim]. */
  teacherFeatures?: tf.Tensor2D | null;
  /** Regions per forward pass (bounds memory on long videos); default 64. */
  batchSize?: number;
}

/** Per-row mean of |a − b| over every axis but the first. */
function rowMeanAbs(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
  const diff = tf.abs(tf.sub(a, b));
  return tf.mean<tf.Tensor1D>(diff.reshape([diff.shape[0] ?? 0, -1]), 1);
}

function checkTeacher(model: tf.LayersModel, teacher: tf.Tensor2D | null, regions: number): void {
  if (teacher === null) return;
  if (!hasHead(model, 'teacher')) throw new Error('teacher features were given but the model has no distillation head (teacherDim 0)');
  const dim = (model.getLayer('teacher_features').outputShape as (number | null)[])[1];
  if (teacher.rank !== 2 || teacher.shape[0] !== regions || teacher.shape[1] !== dim) {
    throw new Error(`teacher features must be [${regions}, ${String(dim)}] (one row per region), got [${teacher.shape.join(', ')}]`);
  }
}

/** Scores region tubes [N, 7, S, S, C] (float 0..1; the 7 frames i−3..i+3 in playback order). */
export async function regionScores(model: tf.LayersModel, tubes: tf.Tensor5D, options: RegionScoreOptions = {}): Promise<RegionScores> {
  const samples = middleFrameSamples(tubes);
  try {
    return await sampleScores(model, samples, options);
  } finally {
    tf.dispose([samples.input, samples.target]);
  }
}

/** The same from the model's input (the 6 non-middle frames [N, 6, S, S, C]) and the middle frame [N, S, S, C]. */
export async function sampleScores(model: tf.LayersModel, samples: MiddleFrameSamples, options: RegionScoreOptions = {}): Promise<RegionScores> {
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be an integer ≥ 1, got ${batchSize}`);
  const teacher = options.teacherFeatures ?? null;
  const regions = samples.input.shape[0];
  if (samples.target.shape[0] !== regions) throw new Error(`region scores: ${samples.target.shape[0]} middle frames for ${regions} inputs`);
  checkTeacher(model, teacher, regions);
  const scores: RegionScores = {
    middleFrameError: new Float32Array(regions),
    backward: new Float32Array(regions),
    irregular: new Float32Array(regions),
    teacherGap: teacher === null ? null : new Float32Array(regions),
  };
  for (let start = 0; start < regions; start += batchSize) {
    const count = Math.min(batchSize, regions - start);
    // Slicing copies (slowly on wasm for rank 5), so a batch that is all the regions goes in as it is.
    const rows = (x: tf.Tensor): tf.Tensor => (count === regions ? x : tf.slice(x, start, count));
    const stacked = tf.tidy(() => {
      // apply, not predict: predict copies its input into batches even when it is one batch.
      const outputs = model.apply(rows(samples.input), { training: false }) as tf.Tensor[];
      const [arrow, irregular, middle, student] = outputs as [tf.Tensor2D, tf.Tensor2D, tf.Tensor4D, tf.Tensor2D | undefined];
      const columns = [
        rowMeanAbs(middle, rows(samples.target)),
        tf.softmax(arrow).slice([0, 1], [-1, 1]).reshape([count]),
        tf.softmax(irregular).slice([0, 1], [-1, 1]).reshape([count]),
      ];
      if (teacher !== null && student !== undefined) columns.push(rowMeanAbs(student, rows(teacher)));
      return tf.stack(columns);
    });
    // Read asynchronously: a GPU backend (webgpu) cannot read back synchronously in Node.
    let values: Float32Array;
    try {
      values = (await stacked.data()) as Float32Array;
    } finally {
      stacked.dispose();
    }
    scores.middleFrameError.set(values.subarray(0, count), start);
    scores.backward.set(values.subarray(count, 2 * count), start);
    scores.irregular.set(values.subarray(2 * count, 3 * count), start);
    scores.teacherGap?.set(values.subarray(3 * count, 4 * count), start);
  }
  return scores;
}

/** The scores under the task names `frameScores` takes, and the list of tasks present. */
export function taskScoresOf(scores: RegionScores): { tasks: string[]; scores: Record<string, Float32Array> } {
  const named: Record<string, Float32Array> = {
    [ANOMALY_TASKS.middleFrameError]: scores.middleFrameError,
    [ANOMALY_TASKS.backward]: scores.backward,
    [ANOMALY_TASKS.irregular]: scores.irregular,
  };
  if (scores.teacherGap !== null) named[ANOMALY_TASKS.teacherGap] = scores.teacherGap;
  return { tasks: Object.keys(named), scores: named };
}
