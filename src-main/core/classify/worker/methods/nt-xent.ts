/**
 * NT-Xent, SimCLR's normalised temperature-scaled cross entropy, over two views a, b [N, D] whose row i is a
 * positive pair. The 2N rows z = [a; b] are L2-normalised; for anchor i, with j its partner,
 *   ℓ_i = −log( exp(cos(z_i, z_j)/T) / Σ_{k≠i} exp(cos(z_i, z_k)/T) ),
 * so each anchor has 1 positive and 2N − 2 negatives in a denominator of 2N − 1 terms; the loss is the
 * mean of ℓ over the 2N anchors. This is the form of TCL's official `simclr_loss`.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../../../engine/worker/losses.js';

/** METHODS.md, TCL: "NT-Xent over [g_base; g_aux] with cosine similarity, temperature 0.5". */
export const NT_XENT_TEMPERATURE = 0.5;

export interface NtXentOptions {
  /** T > 0; default NT_XENT_TEMPERATURE. */
  temperature?: number;
  /** Which view gets no gradient ('none' by default). TCL detaches its base pathway. */
  detach?: 'a' | 'b' | 'none';
  /**
   * Extra rows [M, D] that join every anchor's denominator as negatives without being anchors themselves
   * (hard negatives, e.g. each clip played backwards: the same look, another motion).
   */
  negatives?: tf.Tensor2D | null;
  /**
   * 1 for the rows of a and b that take part, 0 for rows that do not [N] (no gradient: a mask, not a weight).
   * The loss is then NT-Xent over the taking part rows alone: their anchors, averaged, with only each other
   * (and `negatives`) in the denominators. Default: every row.
   */
  present?: tf.Tensor1D | null;
}

/** Squared norms are clamped here before the square root so a zero row gives a zero vector, not NaN. */
const MIN_SQUARED_NORM = 1e-24;
/** Added to each anchor's similarity with itself: exp underflows to exactly 0, and unlike −∞ it keeps gradients finite. */
const SELF_SIMILARITY_OFFSET = -1e9;

export function checkTemperature(temperature: number): void {
  if (!(Number.isFinite(temperature) && temperature > 0)) {
    throw new Error(`NT-Xent temperature must be a finite number > 0, got ${temperature}`);
  }
}

function rowNormalised(z: tf.Tensor2D): tf.Tensor2D {
  return tf.div(z, tf.sqrt(tf.maximum(tf.sum(tf.square(z), 1, true), MIN_SQUARED_NORM)));
}

/** Mean NT-Xent over the 2N anchors: a scalar ≥ 0 (0 for N = 0 or N = 1, where the only other row is the positive). */
export function ntXentLoss(a: tf.Tensor2D, b: tf.Tensor2D, options: NtXentOptions = {}): tf.Scalar {
  const temperature = options.temperature ?? NT_XENT_TEMPERATURE;
  const detach = options.detach ?? 'none';
  checkTemperature(temperature);
  if (a.rank !== 2 || b.rank !== 2) {
    throw new Error(`NT-Xent views must be [N, D], got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  }
  if (a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) {
    throw new Error(`NT-Xent views must have the same shape, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  }
  const rows = a.shape[0];
  return tf.tidy(() => {
    if (rows === 0) return tf.scalar(0);
    const aNorm = rowNormalised(detach === 'a' ? stopGradient(a) : a);
    const bNorm = rowNormalised(detach === 'b' ? stopGradient(b) : b);
    const z = tf.concat([aNorm, bNorm], 0);
    const negatives = options.negatives ?? null;
    if (negatives !== null && negatives.shape[1] !== a.shape[1]) {
      throw new Error(`NT-Xent negatives must have ${a.shape[1]} columns, got [${negatives.shape.join(', ')}]`);
    }
    const candidates = negatives === null ? z : tf.concat([z, rowNormalised(negatives)], 0);
    const similarities = tf.div(tf.matMul(z, candidates, false, true), temperature);
    const extra = negatives === null ? 0 : (negatives.shape[0] ?? 0);
    const self = extra === 0 ? tf.eye(2 * rows) : tf.concat([tf.eye(2 * rows), tf.zeros([2 * rows, extra])], 1);
    const withoutSelf = tf.add(similarities, tf.mul(self, SELF_SIMILARITY_OFFSET));
    const positive = tf.div(tf.sum(tf.mul(aNorm, bNorm), 1), temperature);
    const present = options.present ?? null;
    if (present === null) return tf.mean(tf.sub(tf.logSumExp(withoutSelf, 1), tf.concat([positive, positive], 0)));
    if (present.rank !== 1 || present.shape[0] !== rows) throw new Error(`NT-Xent present must be [${rows}], got [${present.shape.join(', ')}]`);
    const anchors = tf.concat([present, present], 0);
    // A row that takes no part leaves every denominator the way the anchor itself does: exp(offset) = 0.
    const absent = tf.mul(tf.sub(1, anchors), SELF_SIMILARITY_OFFSET);
    const columnOffsets = extra === 0 ? absent : tf.concat([absent, tf.zeros([extra])], 0);
    const perAnchor = tf.sub(tf.logSumExp(tf.add(withoutSelf, columnOffsets), 1), tf.concat([positive, positive], 0));
    return tf.div(tf.sum(tf.mul(perAnchor, anchors)), tf.maximum(tf.sum(anchors), 1));
  });
}
