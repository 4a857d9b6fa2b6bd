/**
 * SVT's self-distillation (Ranasinghe et al., CVPR 2022; DINO's recipe), METHODS.md: a student matches an
 * EMA teacher across views of the same clip with different spatial and temporal extent, no negatives.
 * Loss per (teacher view j, student view v): −softmax((t_j − c)/τt) · log softmax(s_v/τs), averaged over the
 * pairs and the clips; centre c ← m·c + (1 − m)·mean(t); teacher momentum cosine from its base to 1.
 *
 * Deviations for tiny models on a CPU, each on purpose:
 * - 2 local views, not 8: every student view is a forward and backward pass.
 * - Teacher momentum from 0.99, not 0.996: runs here take hundreds of steps, not DINO's 100k+, and at 0.996 the
 *   teacher would still be mostly its random start when pretraining ends.
 * - The teacher's two global views are drawn apart from the student's (on the thread that runs the step), so no
 *   student view is a teacher view and every pair counts (DINO skips the student's copy of each teacher view).
 * - The projection head is the existing 64-wide one (DINO's has 65536 prototypes).
 */
import * as tf from '@tensorflow/tfjs';

export const SVT_TEACHER_TEMPERATURE = 0.04;
export const SVT_STUDENT_TEMPERATURE = 0.1;
export const SVT_CENTRE_MOMENTUM = 0.9;
export const SVT_TEACHER_MOMENTUM = 0.99;
/** Views the teacher sees per clip (global) and the student sees per clip (global, then local). */
export const SVT_TEACHER_VIEWS = 2;
export const SVT_LOCAL_VIEWS = 2;
export const SVT_STUDENT_VIEWS = SVT_TEACHER_VIEWS + SVT_LOCAL_VIEWS;

/** The teacher's targets from its outputs [rows, D]: centred, sharpened, softmaxed (no gradient flows into them). */
export function svtTeacherTargets(teacherOutputs: tf.Tensor2D, centre: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(tf.div(tf.sub(teacherOutputs, centre), SVT_TEACHER_TEMPERATURE)) as tf.Tensor2D);
}

/**
 * The mean over clips and (teacher view, student view) pairs of the cross-entropy.
 * `targets` [n, G·D]: each clip's G teacher views' targets side by side; `student` [V·n, D] view-major.
 */
export function svtLoss(targets: tf.Tensor2D, student: tf.Tensor2D, teacherViews: number): tf.Scalar {
  return tf.tidy(() => {
    const clips = targets.shape[0];
    const width = student.shape[1];
    if (targets.shape[1] !== teacherViews * width) throw new Error(`SVT targets have ${targets.shape[1]} columns; ${teacherViews} views of ${width} need ${teacherViews * width}`);
    if (clips === 0 || student.shape[0] % clips !== 0) throw new Error(`${student.shape[0]} student rows cannot hold the views of ${clips} clips`);
    const studentViews = student.shape[0] / clips;
    const logP = tf.reshape(tf.logSoftmax(tf.div(student, SVT_STUDENT_TEMPERATURE)), [studentViews, 1, clips, width]);
    const q = tf.transpose(tf.reshape(targets, [clips, teacherViews, width]), [1, 0, 2]).expandDims(0);
    // [V, G, n]: −Σ_d q·log p for every pair, then the mean of all of them.
    const crossEntropy = tf.neg(tf.sum(tf.mul(q, logP), -1));
    return tf.mean<tf.Scalar>(crossEntropy);
  });
}

/** The teacher's momentum at step k of K: cosine from `base` to 1 (DINO). */
export function svtTeacherMomentum(step: number, totalSteps: number, base = SVT_TEACHER_MOMENTUM): number {
  if (totalSteps <= 0) return base;
  const progress = Math.min(1, Math.max(0, step / totalSteps));
  return 1 - ((1 - base) * (Math.cos(Math.PI * progress) + 1)) / 2;
}

/** The running centre of the teacher's outputs; starts at 0 (DINO) and is stored in checkpoints. */
export class SvtCentre {
  private constructor(private current: Float32Array) {}

  static zeros(width: number): SvtCentre {
    return new SvtCentre(new Float32Array(width));
  }

  static fromJSON(values: readonly number[]): SvtCentre {
    return new SvtCentre(Float32Array.from(values));
  }

  get values(): Float32Array {
    return this.current;
  }

  /** c ← m·c + (1 − m)·mean, with `mean` the step's mean teacher output. */
  update(mean: Float32Array, momentum = SVT_CENTRE_MOMENTUM): void {
    if (mean.length !== this.current.length) throw new Error(`SVT centre is ${this.current.length} wide; the teacher's mean output ${mean.length}`);
    this.current = this.current.map((c, i) => momentum * c + (1 - momentum) * (mean[i] ?? 0));
  }

  toJSON(): number[] {
    return Array.from(this.current);
  }
}
