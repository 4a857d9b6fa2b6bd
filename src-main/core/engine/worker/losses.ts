/** The losses every method shares. Logits are [N, C]; class labels are int32 [N]. */
import * as tf from '@tensorflow/tfjs';

function assertRows(logits: tf.Tensor2D, other: tf.Tensor, what: string): void {
  if (logits.rank !== 2) throw new Error(`logits must be [N, C], got [${logits.shape.join(', ')}]`);
  if (other.shape[0] !== logits.shape[0]) {
    throw new Error(`${what} has ${other.shape[0]} rows but the logits have ${logits.shape[0]}`);
  }
}

/** H(label, softmax(logits)) per row: [N]. */
export function crossEntropyPerRow(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  assertRows(logits, labels, 'labels');
  if (labels.dtype !== 'int32') throw new Error(`labels must be int32 class indices, got ${labels.dtype}`);
  return tf.tidy(() => {
    const targets = tf.oneHot(labels, logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
  });
}

/** Mean cross-entropy of the labelled batch. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(crossEntropyPerRow(logits, labels)));
}

/**
 * The unlabelled loss of FixMatch and its kin: Σ_b mask_b · H(pseudo_b, f(u_b)) / (μB), where μB is the
 * number of unlabelled rows, NOT the number that passed the mask (a low mask rate means a small loss).
 */
export function unlabelledLoss(logits: tf.Tensor2D, pseudoLabels: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  assertRows(logits, mask, 'mask');
  return tf.tidy(() => {
    const rows = logits.shape[0];
    if (rows === 0) return tf.scalar(0);
    return tf.div(tf.sum(tf.mul(crossEntropyPerRow(logits, pseudoLabels), tf.cast(mask, 'float32'))), rows);
  });
}

/** Share of rows whose argmax is the label. */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  assertRows(logits, labels, 'labels');
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')));
}

/** Identity forward, zero gradient: pseudo-label targets never pull on the model. */
const identityWithZeroGradient = (x: tf.Tensor) => ({ value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) });
export const stopGradient = tf.customGrad(
  identityWithZeroGradient as unknown as Parameters<typeof tf.customGrad>[0],
) as unknown as <T extends tf.Tensor>(x: T) => T;
