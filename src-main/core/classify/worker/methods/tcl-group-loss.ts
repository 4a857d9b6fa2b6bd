/**
 * TCL's group contrastive loss (Singh et al. 2021; `get_group` / `compute_group_contrastive_loss` in the
 * official code). Each pathway's rows are grouped by their argmax class; a group's vector is the mean softmax
 * of its rows; the classes present in both pathways give paired group means, compared with NT-Xent at the
 * instance loss's temperature. The argmax grouping carries no gradient; the softmax averages do (except on
 * the detached base pathway).
 *
 * Fewer than 2 shared groups gives a constant 0: with 1 pair NT-Xent is exactly 0 anyway (the only other row
 * in the denominator is the positive), and with none there is nothing to compare; the official code returns
 * 0 in both cases too.
 */
import * as tf from '@tensorflow/tfjs';
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

export interface SharedGroups {
  /** Classes that are some row's argmax in both pathways, ascending. */
  classes: number[];
  /** [G, N_base]: row g averages the base rows of classes[g] (1/count at their columns, 0 elsewhere). */
  baseWeights: Float32Array;
  /** [G, N_aux], the same for the auxiliary pathway. */
  auxWeights: Float32Array;
}

function averagingWeights(argmax: ArrayLike<number>, classes: readonly number[]): Float32Array {
  const rows = argmax.length;
  const weights = new Float32Array(classes.length * rows);
  classes.forEach((cls, g) => {
    let count = 0;
    for (let n = 0; n < rows; n++) if (argmax[n] === cls) count++;
    for (let n = 0; n < rows; n++) if (argmax[n] === cls) weights[g * rows + n] = 1 / count;
  });
  return weights;
}

/** The groups both pathways share, from each row's argmax class. */
export function sharedGroups(baseArgmax: ArrayLike<number>, auxArgmax: ArrayLike<number>): SharedGroups {
  const inBase = new Set(Array.from(baseArgmax));
  const classes = [...new Set(Array.from(auxArgmax))].filter((c) => inBase.has(c)).sort((x, y) => x - y);
  return { classes, baseWeights: averagingWeights(baseArgmax, classes), auxWeights: averagingWeights(auxArgmax, classes) };
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
    // A small [N] read: the grouping is data-dependent and the group count decides the tensor shapes.
    const groups = sharedGroups(tf.argMax(baseLogits, 1).dataSync(), tf.argMax(auxLogits, 1).dataSync());
    const count = groups.classes.length;
    if (count < 2) return tf.scalar(0);
    const baseMeans = tf.matMul<tf.Tensor2D>(tf.tensor2d(groups.baseWeights, [count, baseLogits.shape[0]]), tf.softmax(baseLogits));
    const auxMeans = tf.matMul<tf.Tensor2D>(tf.tensor2d(groups.auxWeights, [count, auxLogits.shape[0]]), tf.softmax(auxLogits));
    return ntXentLoss(baseMeans, auxMeans, { temperature, detach: detachBase ? 'a' : 'none' });
  });
}
