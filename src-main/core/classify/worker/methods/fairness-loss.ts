/**
 * FreeMatch's self-adaptive fairness term (USB's `entropy_loss`), over the strong views whose weak view passed
 * the mask:
 *   p̄ = mean masked softmax(strong),  h̄ = share of masked rows whose strong argmax is c,
 *   L_f = Σ_c SumNorm(p̃ / h̃)(c) · log(SumNorm(p̄ / h̄)(c) + 1e-12)
 * (1/0 read as 0), p̃ and h̃ being the running class mean and label histogram (freematch-thresholds.ts). It is
 * the negative cross-entropy of the paper, so minimising it spreads the predictions over the classes. 0 when no
 * row passed. In a step split into shards each shard's term covers its own rows, weighted by its share of them.
 */
import * as tf from '@tensorflow/tfjs';
import { withoutGradient } from '../../../engine/worker/without-gradient.js';
import type { FairnessReference } from './freematch-thresholds.js';
import { firstTopClass } from './in-graph-pseudo-labels.js';

/** 1/x where x > 0, else 0, for each entry. */
function inverseOrZero(values: readonly number[]): number[] {
  return values.map((v) => (v > 0 ? 1 / v : 0));
}

/** SumNorm(p̃ / h̃): the running reference the step's masked predictions are compared with. */
export function modulatedReference(reference: FairnessReference): number[] {
  const scaled = reference.classMean.map((p, c) => p * (inverseOrZero(reference.labelHistogram)[c] ?? 0));
  const sum = scaled.reduce((a, b) => a + b, 0);
  return scaled.map((v) => (sum > 0 ? v / sum : 0));
}

/** L_f for strong logits [N, C] and the weak views' mask [N] (no gradient through the mask or the histogram). */
export function fairnessLoss(strongLogits: tf.Tensor2D, mask: tf.Tensor1D, reference: FairnessReference): tf.Scalar {
  const classes = strongLogits.shape[1];
  if (reference.classMean.length !== classes) throw new Error(`FreeMatch's fairness term: ${reference.classMean.length} class means for ${classes} classes`);
  return tf.tidy(() => {
    const probs = tf.softmax(strongLogits);
    const weights = tf.expandDims(mask, 1);
    const passed = tf.sum(mask);
    const denominator = tf.maximum(passed, 1);
    // Comparisons have no gradient in tfjs: the "any row passed" switch is computed off the tape.
    const anyPassed = withoutGradient((n) => tf.cast(tf.greater(n, 0), 'float32'), passed);
    const meanProbs = tf.div(tf.sum(tf.mul(probs, weights), 0), denominator);
    const histogramScale = withoutGradient(
      (p, w, d) =>
        tf.tidy(() => {
          const histogram = tf.div(tf.sum(tf.mul(tf.oneHot(firstTopClass(p as tf.Tensor2D), classes), w), 0), d);
          return tf.where(tf.greater(histogram, 0), tf.div(1, tf.maximum(histogram, 1e-12)), tf.zerosLike(histogram));
        }),
      probs,
      weights,
      denominator,
    );
    const scaled = tf.mul(meanProbs, histogramScale);
    const modulated = tf.div(scaled, tf.maximum(tf.sum(scaled), 1e-12));
    const target = tf.tensor1d(modulatedReference(reference), 'float32');
    const loss = tf.sum(tf.mul(target, tf.log(tf.add(modulated, 1e-12))));
    return tf.mul<tf.Scalar>(loss, anyPassed);
  });
}
