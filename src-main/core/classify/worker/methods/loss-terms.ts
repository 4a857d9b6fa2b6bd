/**
 * What every method's loss is built from: the model in training mode, the step's checked batches, the
 * labelled terms (cross-entropy and accuracy) and the masked pseudo-label terms, each scaled by the shard's
 * share of the step's rows so that the shards of a split step add up to the whole step.
 */
import * as tf from '@tensorflow/tfjs';
import { NO_HEADS, splitHeads, type HeadOutputs } from '../models/extra-heads.js';
import { accuracy, crossEntropy, stopGradient, unlabelledLoss } from '../../../engine/worker/losses.js';
import type { FairnessReference } from './freematch-thresholds.js';
import { pseudoLabelTensors } from './in-graph-pseudo-labels.js';
import type { GradientInput } from './step-gradients.js';

/** What part of the step's B labelled and μB unlabelled rows this batch holds (1 and 1 for a whole step). */
export interface ShardShare {
  labelled: number;
  unlabelled: number;
  /** Of all the step's clips, labelled or not (pretraining contrasts them all). */
  clips: number;
}

export const WHOLE_STEP: ShardShare = { labelled: 1, unlabelled: 1, clips: 1 };

/**
 * Which weak predictions become pseudo-labels: one τ (pseudolabel, fixmatch) or per-class thresholds (FlexMatch,
 * FreeMatch); optionally after distribution alignment, and with FreeMatch's fairness term.
 */
export type PseudoLabelRule = ({ kind: 'fixed'; threshold: number } | { kind: 'per-class'; thresholds: readonly number[] }) & {
  /** Distribution alignment's ratio per class: the weak probabilities are scaled by it and renormalised before thresholding. */
  alignment?: readonly number[];
  /** FreeMatch's self-adaptive fairness term: its weight w_f and what it compares the masked strong predictions with. */
  fairness?: FairnessReference & { weight: number };
};

/** The step's batches after the shared checks: labelled clips and classes, and the unlabelled views the method asked for. */
export interface Batches {
  x: tf.Tensor5D;
  y: tf.Tensor1D;
  weak: tf.Tensor5D | null;
  strong: tf.Tensor5D | null;
  aux: tf.Tensor5D | null;
}

/** Values the loss closure reports besides the total; all kept out of variableGrads' tidy. */
export interface SideValues {
  supervised?: tf.Scalar;
  trainAccuracy?: tf.Scalar;
  unsupervised?: tf.Scalar;
  maskRate?: tf.Scalar;
  /** The weak rows' probabilities [rows, C] (FlexMatch's update reads them after the step). */
  weakProbs?: tf.Tensor2D;
}

export function rowsOf(t: tf.Tensor): number {
  return t.shape[0] ?? 0;
}

/** What a method's loss closure works with. */
export interface LossContext {
  input: GradientInput;
  batches: Batches;
  /** The unlabelled loss's weight at this step (ramped or switched by some methods). */
  lambdaU: number;
  share: ShardShare;
  side: SideValues;
  /** Rows of labelled clips in `batches.x`. */
  labelledRows: number;
  /** The model in training mode: class logits and any extra heads. */
  run: (x: tf.Tensor) => HeadOutputs;
  /** The class logits alone. */
  forward: (x: tf.Tensor) => tf.Tensor2D;
  /** `value × by`, kept for the caller to dispose (it outlives variableGrads' tidy). */
  scaled: (value: tf.Scalar, by: number) => tf.Scalar;
  /** `t` kept for the caller to dispose (it outlives variableGrads' tidy). */
  kept: <T extends tf.Tensor>(t: T) => T;
  /** The labelled rows' cross-entropy (and accuracy, reported): the supervised term. */
  labelledTerms: (logits: tf.Tensor2D) => tf.Scalar;
  /** The masked cross-entropy of `logits` against `pseudo` labels (and the mask rate, reported): the unsupervised term. */
  unlabelledTerms: (logits: tf.Tensor2D, pseudo: tf.Tensor1D, mask: tf.Tensor1D) => tf.Scalar;
  /** A method's own unsupervised term, scaled by the shard's unlabelled share and reported (with the share of rows `mask` passes). */
  unlabelledTerm: (value: tf.Scalar, mask?: tf.Tensor1D) => tf.Scalar;
  /** supervised + λu · unsupervised. */
  total: (supervised: tf.Scalar, unsupervised: tf.Scalar) => tf.Scalar;
}

/**
 * A micro-batch of unlabelled clips only (a step split finer than its labelled clips, to bound its memory):
 * its supervised term and accuracy are 0, its share of the labelled rows being 0.
 */
export function noLabelledTerms(side: SideValues, scaled: (value: tf.Scalar, by: number) => tf.Scalar): tf.Scalar {
  const zero = scaled(tf.scalar(0), 0);
  side.supervised = zero;
  side.trainAccuracy = zero;
  return zero;
}

/** The context a method's loss closure is built in; everything it keeps goes into `owned` for the caller to dispose. */
export function lossContext(input: GradientInput, batches: Batches, lambdaU: number, side: SideValues, owned: tf.Tensor[]): LossContext {
  const heads = input.heads ?? NO_HEADS;
  const width = input.model.outputs[0]?.shape[1] ?? 0;
  const classes = width - heads.teacher - heads.projection;
  const run = (x: tf.Tensor): HeadOutputs => splitHeads(input.model.apply(x, { training: true }) as tf.Tensor2D, classes, heads);
  const share = input.share ?? WHOLE_STEP;
  const kept = <T extends tf.Tensor>(t: T): T => {
    owned.push(tf.keep(t));
    return t;
  };
  const scaled = (value: tf.Scalar, by: number): tf.Scalar => kept(tf.mul<tf.Scalar>(value, by));
  const unlabelledTerm = (value: tf.Scalar, mask?: tf.Tensor1D): tf.Scalar => {
    const unsupervised = scaled(value, share.unlabelled);
    side.unsupervised = unsupervised;
    if (mask !== undefined) side.maskRate = scaled(tf.mean<tf.Scalar>(mask), share.unlabelled);
    return unsupervised;
  };
  return {
    input,
    batches,
    lambdaU,
    share,
    side,
    labelledRows: rowsOf(batches.x),
    run,
    forward: (x) => run(x).logits,
    scaled,
    kept,
    labelledTerms: (logits) => {
      if (rowsOf(batches.y) === 0) return noLabelledTerms(side, scaled);
      const supervised = scaled(crossEntropy(logits, batches.y), share.labelled);
      side.supervised = supervised;
      side.trainAccuracy = scaled(accuracy(logits, batches.y), share.labelled);
      return supervised;
    },
    unlabelledTerms: (logits, pseudo, mask) => unlabelledTerm(unlabelledLoss(logits, pseudo, mask), mask),
    unlabelledTerm,
    total: (supervised, unsupervised) => tf.add<tf.Scalar>(supervised, tf.mul(unsupervised, lambdaU)),
  };
}

/** The step's pseudo-label rule; every method that pseudo-labels is given one. */
export function ruleOf(ctx: LossContext): PseudoLabelRule {
  const rule = ctx.input.rule;
  if (rule == null) throw new Error(`${ctx.input.settings.method} needs a pseudo-label rule`);
  return rule;
}

/** The step's weak unlabelled view; every method that learns from unlabelled clips is given one. */
export function weakOf(ctx: LossContext): tf.Tensor5D {
  const weak = ctx.batches.weak;
  if (weak === null) throw new Error(`${ctx.input.settings.method} needs unlabelledWeak clips`);
  return weak;
}

/**
 * Pseudo-label's two terms on one forward of the labelled rows then the unlabelled ones: H(labelled) and the
 * masked H(argmax) of the unlabelled rows' own detached predictions.
 */
export function selfTrainingTerms(ctx: LossContext, logits: tf.Tensor2D, rule: PseudoLabelRule): { supervised: tf.Scalar; pseudo: tf.Scalar } {
  const b = ctx.labelledRows;
  const unlabelledLogits = tf.slice(logits, [b, 0], [-1, -1]);
  const { labels, mask } = pseudoLabelTensors(rule, tf.softmax(stopGradient(unlabelledLogits)));
  return {
    supervised: ctx.labelledTerms(tf.slice(logits, [0, 0], [b, -1])),
    pseudo: ctx.unlabelledTerms(unlabelledLogits, labels, mask),
  };
}

/** Pseudo-label's loss: H(labelled) + λu · the masked H(argmax) on the weak rows. */
export function selfTrainingLoss(ctx: LossContext): () => tf.Scalar {
  const weak = weakOf(ctx);
  const rule = ruleOf(ctx);
  return () => {
    const { supervised, pseudo } = selfTrainingTerms(ctx, ctx.forward(tf.concat([ctx.batches.x, weak], 0)), rule);
    return ctx.total(supervised, pseudo);
  };
}

/** The labelled rows alone: supervised-only steps, and SSL methods before their unlabelled loss joins. */
export function labelledOnlyLoss(ctx: LossContext): () => tf.Scalar {
  return () => ctx.labelledTerms(ctx.forward(ctx.batches.x));
}
