/**
 * Pseudo-labels and their mask computed on the backend, with no read back (a GPU backend has no synchronous
 * read in Node): label = the first class with the row's top probability, mask = 1 where that top probability
 * reaches the rule's threshold for the label's class (τ as float32, as maskFromThresholds compares). No
 * gradient flows through either.
 */
import * as tf from '@tensorflow/tfjs';
import { withoutGradient } from '../../../engine/worker/without-gradient.js';
import type { PseudoLabelRule } from './loss-terms.js';

/**
 * Each row's first index of its maximum, int32 [N], whatever a backend's argMax does with ties (rowMax's
 * strict `>` keeps the first): the top entries are scored C, C−1, … by position, so their argmax is unique.
 */
export function firstTopClass(values: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = values.shape[1];
    const isTop = tf.cast(tf.equal(values, tf.max(values, 1, true)), 'float32');
    const byPosition = tf.sub(tf.scalar(classes, 'float32'), tf.range(0, classes, 1, 'float32'));
    return tf.argMax<tf.Tensor1D>(tf.mul(isTop, byPosition), 1);
  });
}

function thresholdsOf(rule: PseudoLabelRule, classes: number): tf.Tensor1D {
  const values = rule.kind === 'fixed' ? new Array<number>(classes).fill(rule.threshold) : rule.thresholds;
  if (values.length !== classes) throw new Error(`${values.length} thresholds for ${classes} classes`);
  return tf.tensor1d([...values], 'float32');
}

/** Distribution alignment in the graph: probabilities [N, C] × ratio per class, each row renormalised. */
export function alignedProbabilities(probs: tf.Tensor2D, ratios: readonly number[]): tf.Tensor2D {
  if (ratios.length !== probs.shape[1]) throw new Error(`${ratios.length} alignment ratios for ${probs.shape[1]} classes`);
  return tf.tidy(() => {
    const scaled = tf.mul(probs, tf.tensor1d([...ratios], 'float32'));
    return tf.div(scaled, tf.sum(scaled, 1, true));
  });
}

/** Pseudo-labels (int32 [N]) and mask (float32 [N]) from probabilities [N, C] (aligned first when the rule says so). */
export function pseudoLabelTensors(rule: PseudoLabelRule, weakProbs: tf.Tensor2D): { labels: tf.Tensor1D; mask: tf.Tensor1D } {
  const classes = weakProbs.shape[1];
  const alignment = rule.alignment;
  const probsOf = (p: tf.Tensor): tf.Tensor2D => (alignment === undefined ? (p as tf.Tensor2D) : alignedProbabilities(p as tf.Tensor2D, alignment));
  const labels = withoutGradient((p) => tf.tidy(() => firstTopClass(probsOf(p))), weakProbs);
  const mask = withoutGradient(
    (p) =>
      tf.tidy(() => {
        const probs = probsOf(p);
        const top = tf.max(probs, 1);
        const threshold = tf.gather(thresholdsOf(rule, classes), firstTopClass(probs));
        return tf.cast(tf.greaterEqual(top, threshold), 'float32') as tf.Tensor1D;
      }),
    weakProbs,
  );
  return { labels, mask };
}
