/**
 * VideoSSL's distillation term: KL(teacher ‖ student) between the image teacher's output on one frame
 * of a clip and the student's extra head on the whole clip, as a mean over rows. Teachers that end in a
 * softmax give probabilities; any other output (logits, features) is turned into a distribution by a
 * softmax first, so every teacher the Train view accepts has a target.
 */
import * as tf from '@tensorflow/tfjs';

/** A teacher row counts as a distribution when it is non-negative and sums to 1 within this. */
const SUM_TOLERANCE = 1e-3;

/** Whether each row of `output` (row-major, `dim` wide) is already a probability distribution. */
export function isDistribution(output: Float32Array, dim: number): boolean {
  if (dim < 1 || output.length % dim !== 0) return false;
  for (let row = 0; row < output.length; row += dim) {
    let sum = 0;
    for (let i = row; i < row + dim; i++) {
      const v = output[i] ?? NaN;
      if (!(v >= 0)) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) return false;
  }
  return true;
}

/** The teacher's outputs [N, dim] as probabilities: as they are when they already are, softmaxed when not. */
export function teacherProbabilities(output: Float32Array, dim: number): Float32Array {
  if (isDistribution(output, dim)) return output;
  const probs = new Float32Array(output.length);
  for (let row = 0; row < output.length; row += dim) {
    let max = -Infinity;
    for (let i = row; i < row + dim; i++) max = Math.max(max, output[i] ?? -Infinity);
    let sum = 0;
    for (let i = row; i < row + dim; i++) {
      const e = Math.exp((output[i] ?? -Infinity) - max);
      probs[i] = e;
      sum += e;
    }
    for (let i = row; i < row + dim; i++) probs[i] = (probs[i] ?? 0) / sum;
  }
  return probs;
}

/** Mean over rows of KL(t ‖ softmax(s)) = Σ_k t_k (log t_k − log softmax(s)_k); terms with t_k = 0 add 0. */
export function distillationLoss(teacher: tf.Tensor2D, studentLogits: tf.Tensor2D): tf.Scalar {
  if (teacher.shape[0] !== studentLogits.shape[0] || teacher.shape[1] !== studentLogits.shape[1]) {
    throw new Error(`teacher targets [${teacher.shape.join(', ')}] and the student's head [${studentLogits.shape.join(', ')}] differ in shape`);
  }
  return tf.tidy(() => {
    if (teacher.shape[0] === 0) return tf.scalar(0);
    const logTeacher = tf.log(tf.maximum(teacher, 1e-12));
    const perRow = tf.sum(tf.mul(teacher, tf.sub(logTeacher, tf.logSoftmax(studentLogits))), 1);
    return tf.mean(perRow);
  });
}
