/**
 * Self-supervised pretraining, the stage before any method's own epochs, with the run's objective: 'svt'
 * (svt-pretrain.ts) or 'contrast', here: NT-Xent (SimCLR's, T = 0.5, neither
 * side detached) between the projection head's outputs for each clip and for the same clip at double speed,
 * over all the step's clips (labels unused), with every clip played backwards as an extra negative (a temporal
 * hard negative: without it, telling clips apart by what they show is enough, and features that ignore motion
 * win). Its batch: every clip of the step as `labelled.x` (MvPL's in colour) and at double speed as
 * `unlabelledAux` (step-tensors.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { NO_HEADS } from '../models/extra-heads.js';
import { lossContext, rowsOf, WHOLE_STEP, type SideValues } from './loss-terms.js';
import { ntXentLoss } from './nt-xent.js';
import type { GradientInput } from './step-gradients.js';
import { svtPretrainLoss } from './svt-pretrain.js';
import { SVT_STUDENT_VIEWS } from './svt-loss.js';
import { TCL_TEMPERATURE } from './tcl-group-loss.js';
import type { PretrainObjective } from '../../../../shared/training.js';

/** Rows a contrast pretraining step runs through the network per clip: as it is, at double speed, backwards. */
export const PRETRAIN_PASSES = 3;

/** Rows a pretraining step runs through the network per clip, for the objective. */
export function pretrainPasses(objective: PretrainObjective): number {
  return objective === 'svt' ? SVT_STUDENT_VIEWS : PRETRAIN_PASSES;
}

export function pretrainLoss(input: GradientInput, side: SideValues, owned: tf.Tensor[]): () => tf.Scalar {
  return input.settings.pretrainObjective === 'svt' ? svtPretrainLoss(input, side, owned) : contrastLoss(input, side, owned);
}

function contrastLoss(input: GradientInput, side: SideValues, owned: tf.Tensor[]): () => tf.Scalar {
  const clips = input.labelled.x;
  const fast = input.unlabelledAux ?? null;
  const heads = input.heads ?? NO_HEADS;
  if (heads.projection === 0) throw new Error('pretraining needs a model with a projection head');
  if (fast === null || rowsOf(fast) !== rowsOf(clips)) {
    throw new Error(`pretraining needs a double-speed copy of every clip (${rowsOf(clips)} clips, ${fast === null ? 0 : rowsOf(fast)} copies)`);
  }
  const { run } = lossContext(input, { x: clips, y: input.labelled.y, weak: null, strong: null, aux: fast }, 0, side, owned);
  const n = rowsOf(clips);
  const share = (input.share ?? WHOLE_STEP).clips;
  return () => {
    // Each clip played backwards looks the same and moves the other way: as a negative it makes the features see motion.
    const backwards = tf.reverse(clips, 1);
    const projection = run(tf.concat([clips, fast, backwards], 0)).projection as tf.Tensor2D;
    const contrast = ntXentLoss(tf.slice(projection, [0, 0], [n, -1]), tf.slice(projection, [n, 0], [n, -1]), {
      temperature: TCL_TEMPERATURE,
      negatives: tf.slice(projection, [2 * n, 0], [n, -1]),
    });
    const value = tf.mul<tf.Scalar>(contrast, share);
    side.unsupervised = tf.keep(value);
    owned.push(side.unsupervised);
    side.supervised = tf.keep(tf.scalar(0));
    owned.push(side.supervised);
    return tf.clone(value);
  };
}
