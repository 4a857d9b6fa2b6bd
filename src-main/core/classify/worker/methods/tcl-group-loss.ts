/**
 * TCL's group contrastive loss (Singh et al. 2021; `get_group` / `compute_group_contrastive_loss` in the
 * official code). Each pathway's rows are grouped by their argmax class; a group's vector is the mean softmax
 * of its rows; the classes present in both pathways give paired group means, compared with NT-Xent at the
 * instance loss's temperature. The argmax grouping carries no gradient; the softmax averages do (except on
 * the detached base pathway). The grouping is computed on the backend over all C classes, nothing read back:
 * a class not shared gets a zero row of weights and takes no part in NT-Xent (its `present` mask).
 *
 * Fewer than 2 shared groups gives a constant 0: with 1 pair NT-Xent is exactly 0 anyway (the only other row
 * in the denominator is the positive), and with none there is nothing to compare; the official code returns
 * 0 in both cases too.
 */
import * as tf from '@tensorflow/tfjs';
import { withoutGradient } from '../../../engine/worker/without-gradient.js';
import { firstTopClass } from './in-graph-pseudo-labels.js';
import { NT_XENT_TEMPERATURE, checkTemperature, ntXentLoss } from './nt-xent.js';

/** METHODS.md, TCL: `L = H + γ·L_inst + L_group`, γ = 1 (the weight of the instance loss; the group loss has none). */
export const TCL_GAMMA = 1;
/** METHODS.md, TCL: both contrastive losses use temperature 0.5. */
export const TCL_TEMPERATURE = NT_XENT_TEMPERATURE;

export interface TclGroupLossOptions {
  /** Default TCL_TEMPERATURE. */
  temperature?: number;
  /** Give the base pathway no gradient (default true, as in TCL). */
  detachBase?: boolean;
}

/** One-hot of each row's first top class: float32 [N, C]. */
function topClassOneHot(logits: tf.Tensor2D): tf.Tensor2D {
  // int32 then cast: wasm's OneHot writes int32 values into a float32 output (all but 0 read as ~1e-45).
  return tf.tidy(() => tf.cast(tf.oneHot(firstTopClass(logits), logits.shape[1]), 'float32') as tf.Tensor2D);
}

/** 1 for each class that is some row's top class in both pathways, else 0: [C]. */
function sharedClasses(baseLogits: tf.Tensor2D, auxLogits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const inBase = tf.greater(tf.sum(topClassOneHot(baseLogits), 0), 0);
    const inAux = tf.greater(tf.sum(topClassOneHot(auxLogits), 0), 0);
    return tf.cast(tf.logicalAnd(inBase, inAux), 'float32') as tf.Tensor1D;
  });
}

/** [C, N]: row c averages the rows whose top class is c (1/count at their columns) when c is shared; 0 otherwise. */
function averagingWeights(logits: tf.Tensor2D, shared: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const oneHot = topClassOneHot(logits);
    const counts = tf.maximum(tf.sum(oneHot, 0), 1);
    return tf.mul(tf.div(tf.transpose(oneHot), tf.reshape(counts, [-1, 1])), tf.reshape(shared, [-1, 1]));
  });
}

/**
 * The groups both pathways share, with no gradient: which classes (1 or 0, [C]) and each pathway's averaging
 * weights ([C, N_base] and [C, N_aux]; rows of classes not shared are 0). Computed on the backend: shapes
 * stay [C, …] whatever the grouping, so nothing is read back.
 */
export function sharedGroupWeights(baseLogits: tf.Tensor2D, auxLogits: tf.Tensor2D): { shared: tf.Tensor1D; baseWeights: tf.Tensor2D; auxWeights: tf.Tensor2D } {
  const shared = withoutGradient((b, a) => sharedClasses(b as tf.Tensor2D, a as tf.Tensor2D), baseLogits, auxLogits);
  const weightsOf = (own: tf.Tensor2D) =>
    withoutGradient((x, b, a) => tf.tidy(() => averagingWeights(x as tf.Tensor2D, sharedClasses(b as tf.Tensor2D, a as tf.Tensor2D))), own, baseLogits, auxLogits);
  return { shared, baseWeights: weightsOf(baseLogits), auxWeights: weightsOf(auxLogits) };
}

/** L_group from the two pathways' logits, base [N_base, C] and auxiliary [N_aux, C]. */
export function tclGroupLoss(baseLogits: tf.Tensor2D, auxLogits: tf.Tensor2D, options: TclGroupLossOptions = {}): tf.Scalar {
  const temperature = options.temperature ?? TCL_TEMPERATURE;
  const detachBase = options.detachBase ?? true;
  checkTemperature(temperature);
  if (baseLogits.rank !== 2 || auxLogits.rank !== 2) {
    throw new Error(`TCL group loss: logits must be [N, C], got [${baseLogits.shape.join(', ')}] and [${auxLogits.shape.join(', ')}]`);
  }
  if (baseLogits.shape[1] !== auxLogits.shape[1]) {
    throw new Error(`TCL group loss: base has ${baseLogits.shape[1]} classes but auxiliary has ${auxLogits.shape[1]}`);
  }
  return tf.tidy(() => {
    if (baseLogits.shape[0] === 0 || auxLogits.shape[0] === 0) return tf.scalar(0);
    const { shared, baseWeights, auxWeights } = sharedGroupWeights(baseLogits, auxLogits);
    const baseMeans = tf.matMul<tf.Tensor2D>(baseWeights, tf.softmax(baseLogits));
    const auxMeans = tf.matMul<tf.Tensor2D>(auxWeights, tf.softmax(auxLogits));
    const loss = ntXentLoss(baseMeans, auxMeans, { temperature, detach: detachBase ? 'a' : 'none', present: shared });
    const enough = withoutGradient((s) => tf.tidy(() => tf.greaterEqual(tf.sum(s), 2)), shared);
    return tf.where(enough, loss, tf.zerosLike(loss));
  });
}
