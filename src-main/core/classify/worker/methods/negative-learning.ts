/**
 * UPS's negative-learning loss (METHODS.md, UPS): for a row with negative labels m (1 = "surely not class c"),
 *   ℓ = −Σ_c m_c · log(max(1 − p_c, 1e−7)) / Σ_c m_c,   p = softmax(logits).
 * It pushes the marked classes' total probability towards 0 (each marked logit goes down while the marked
 * probabilities are small, as UPS selects them; when one marked class dominates, another marked logit may
 * rise a little as the dominant one falls). Rows without any negative label (positives,
 * or rows nothing could be said about) have ℓ = 0 and are left out of the batch mean, as the official code
 * keeps only rows with negative labels in its negative-learning batch; a batch with none gives 0.
 */
import * as tf from '@tensorflow/tfjs';

/** METHODS.md, UPS: log(max(1 − p_c, 1e−7)). */
export const NEGATIVE_LEARNING_MIN_COMPLEMENT = 1e-7;

function checkShapes(logits: tf.Tensor2D, mask: tf.Tensor2D): void {
  if (logits.rank !== 2) throw new Error(`negative learning: logits must be [N, C], got [${logits.shape.join(', ')}]`);
  if (mask.rank !== 2 || mask.shape[0] !== logits.shape[0] || mask.shape[1] !== logits.shape[1]) {
    throw new Error(`negative learning: mask [${mask.shape.join(', ')}] does not match logits [${logits.shape.join(', ')}]`);
  }
}

/** ℓ per row, [N]; 0 on rows whose mask is all 0. The mask holds 0/1 (any dtype). */
export function negativeLearningLossPerRow(logits: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  checkShapes(logits, mask);
  return tf.tidy(() => {
    const m = tf.cast(mask, 'float32');
    const complement = tf.maximum(tf.sub(1, tf.softmax(logits)), NEGATIVE_LEARNING_MIN_COMPLEMENT);
    const marked = tf.sum(m, 1);
    return tf.div<tf.Tensor1D>(tf.sum(tf.mul(m, tf.neg(tf.log(complement))), 1), tf.maximum(marked, 1));
  });
}

/** Mean ℓ over the rows with at least one negative label; 0 when there are none. */
export function negativeLearningLoss(logits: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  checkShapes(logits, mask);
  return tf.tidy(() => {
    // The wasm backend's sum over zero rows is not reliably 0.
    if (logits.shape[0] === 0) return tf.scalar(0);
    const rowsWithNegatives = tf.sum(tf.cast(tf.greater(tf.sum(tf.cast(mask, 'float32'), 1), 0), 'float32'));
    return tf.div(tf.sum(negativeLearningLossPerRow(logits, mask)), tf.maximum(rowsWithNegatives, 1));
  });
}
