/**
 * FixMatch: one forward over [labelled, weak, strong], as FixMatch's own code does, so batch norm normalises
 * all three together; pseudo-labels come from the weak rows (detached), the loss from the strong rows:
 * H(labelled) + λu · Σ mask·H(pseudo, f(strong)) / (μB). A separate no-gradient weak pass is cheaper, but on the
 * digit benchmark it scored 10 points lower at the same budget (docs/benchmarks.md): the strong views alone
 * give the labelled rows batch statistics of heavily augmented clips.
 */
import * as tf from '@tensorflow/tfjs';
import { methodInfo } from '../../../../shared/training.js';
import { stopGradient } from '../../../engine/worker/losses.js';
import { fairnessLoss } from './fairness-loss.js';
import { pseudoLabelTensors } from './in-graph-pseudo-labels.js';
import { ruleOf, weakOf, type LossContext } from './loss-terms.js';
import type { MethodModule } from './method-module.js';

/**
 * FixMatch's loss, also FlexMatch's and FreeMatch's (with their per-class rules; FreeMatch's adds its fairness term):
 * the weak rows' probabilities are kept for the thresholds' and distribution alignment's updates.
 */
export function weakStrongLoss(ctx: LossContext): () => tf.Scalar {
  const { batches, side } = ctx;
  const weak = weakOf(ctx);
  const strong = batches.strong as tf.Tensor5D;
  const rule = ruleOf(ctx);
  const b = ctx.labelledRows;
  const mu = weak.shape[0];
  return () => {
    const logits = ctx.forward(tf.concat([batches.x, weak, strong], 0));
    const probs = ctx.kept(tf.softmax(stopGradient(tf.slice(logits, [b, 0], [mu, -1]))));
    side.weakProbs = probs;
    const { labels, mask } = pseudoLabelTensors(rule, probs);
    const supervised = ctx.labelledTerms(tf.slice(logits, [0, 0], [b, -1]));
    const strongLogits = tf.slice(logits, [b + mu, 0], [-1, -1]);
    const unsupervised = ctx.unlabelledTerms(strongLogits, labels, mask);
    const total = ctx.total(supervised, unsupervised);
    const fairness = rule.fairness;
    if (fairness === undefined || fairness.weight === 0) return total;
    return tf.add<tf.Scalar>(total, tf.mul(fairnessLoss(strongLogits, mask, fairness), fairness.weight * ctx.share.unlabelled));
  };
}

export const fixMatchMethod: MethodModule = {
  info: methodInfo.fixmatch,
  loss: weakStrongLoss,
};
