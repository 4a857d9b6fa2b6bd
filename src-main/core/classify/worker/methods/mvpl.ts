/**
 * MvPL: FixMatch over every view of each clip (colour, temporal gradient, flow; clips arrive view-major,
 * multi-view.ts): Σ_v H_lab(v), and ŷ = argmax of the views' mean weak probability supervises every view's
 * strong copy, λu (1/μB) Σ_b Σ_v 1[max ≥ τ] H(ŷ, f(strong(x^v))).
 */
import * as tf from '@tensorflow/tfjs';
import { methodInfo } from '../../../../shared/training.js';
import { accuracy, crossEntropy, stopGradient, unlabelledLoss } from '../../../engine/worker/losses.js';
import { MULTI_VIEW_COUNT } from '../train/multi-view.js';
import { pseudoLabelTensors } from './in-graph-pseudo-labels.js';
import { noLabelledTerms, rowsOf, ruleOf, weakOf, type LossContext } from './loss-terms.js';
import type { MethodModule } from './method-module.js';

/** Σ_v of each view's mean cross-entropy = V × the mean over all V·b rows; accuracy on the colour view. */
function viewsSupervised(ctx: LossContext, logits: tf.Tensor2D, b: number): tf.Scalar {
  const { batches, side, share } = ctx;
  const views = MULTI_VIEW_COUNT;
  const labelledLogits = tf.slice(logits, [0, 0], [views * b, -1]);
  const supervised = ctx.scaled(tf.mul<tf.Scalar>(crossEntropy(labelledLogits, tf.tile(batches.y, [views])), views), share.labelled);
  side.supervised = supervised;
  side.trainAccuracy = ctx.scaled(accuracy(tf.slice(logits, [0, 0], [b, -1]), batches.y), share.labelled);
  return supervised;
}

function multiViewLoss(ctx: LossContext): () => tf.Scalar {
  const { batches, side } = ctx;
  const weak = weakOf(ctx);
  const strong = batches.strong as tf.Tensor5D;
  const rule = ruleOf(ctx);
  const views = MULTI_VIEW_COUNT;
  const b = rowsOf(batches.y);
  const mu = rowsOf(weak) / views;
  return () => {
    const logits = ctx.forward(tf.concat([batches.x, weak, strong], 0));
    const supervised = b === 0 ? noLabelledTerms(side, ctx.scaled) : viewsSupervised(ctx, logits, b);
    const weakProbs = tf.softmax(stopGradient(tf.slice(logits, [views * b, 0], [views * mu, -1])));
    const classes = weakProbs.shape[1] ?? 0;
    const averaged = ctx.kept(tf.mean<tf.Tensor2D>(tf.reshape(weakProbs, [views, mu, classes]), 0));
    side.weakProbs = averaged;
    const { labels, mask } = pseudoLabelTensors(rule, averaged);
    // unlabelledLoss divides by its V·μ rows; × V makes it (1/μ) Σ_b Σ_v.
    const strongLogits = tf.slice(logits, [views * (b + mu), 0], [-1, -1]);
    const perView = unlabelledLoss(strongLogits, tf.tile(labels, [views]), tf.tile(mask, [views]));
    return ctx.total(supervised, ctx.unlabelledTerm(tf.mul<tf.Scalar>(perView, views), mask));
  };
}

export const mvplMethod: MethodModule = {
  info: methodInfo.mvpl,
  loss: multiViewLoss,
};
