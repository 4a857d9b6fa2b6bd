/**
 * TCL: each unlabelled clip's prediction at its own pace (base, detached) and at double speed (aux) are pulled
 * together and apart from other clips': γ·NT-Xent over the softmax outputs plus the group contrast
 * (tcl-group-loss.ts), after a supervised-only warm-up. A shard contrasts its own rows only. With
 * `tclFinetune`, the last share of training fine-tunes on pseudo-labels instead (pseudo-label's loss at τ).
 */
import * as tf from '@tensorflow/tfjs';
import { methodInfo, type TrainSettings } from '../../../../shared/training.js';
import { labelledOnlyLoss, rowsOf, selfTrainingLoss, type LossContext } from './loss-terms.js';
import type { MethodModule } from './method-module.js';
import { ntXentLoss } from './nt-xent.js';
import { TCL_GAMMA, TCL_TEMPERATURE, tclGroupLoss } from './tcl-group-loss.js';

/** TCL's optional last part: the contrastive losses give way to pseudo-labels at τ on the base clips. */
function tclFinetuning(settings: TrainSettings, step: number, totalSteps: number): boolean {
  return settings.tclFinetune > 0 && step >= (1 - settings.tclFinetune) * totalSteps;
}

function temporalContrastLoss(ctx: LossContext): () => tf.Scalar {
  const { batches } = ctx;
  const b = ctx.labelledRows;
  const weak = batches.weak as tf.Tensor5D;
  const aux = batches.aux as tf.Tensor5D;
  const mu = rowsOf(weak);
  return () => {
    const logits = ctx.forward(tf.concat([batches.x, weak, aux], 0));
    const supervised = ctx.labelledTerms(tf.slice(logits, [0, 0], [b, -1]));
    const base = tf.slice(logits, [b, 0], [mu, -1]);
    const fast = tf.slice(logits, [b + mu, 0], [mu, -1]);
    const instance = ntXentLoss(tf.softmax(base), tf.softmax(fast), { temperature: TCL_TEMPERATURE, detach: 'a' });
    const group = tclGroupLoss(base, fast, { temperature: TCL_TEMPERATURE, detachBase: true });
    return tf.add<tf.Scalar>(supervised, ctx.unlabelledTerm(tf.add<tf.Scalar>(tf.mul(instance, TCL_GAMMA), group)));
  };
}

export const tclMethod: MethodModule = {
  info: methodInfo.tcl,
  ruleFree: true,
  // TCL weighs its losses with γ (TCL_GAMMA) and has no λu of its own: on or off after the warm-up.
  lambdaU: (settings, step, totalSteps) => (step < settings.tclWarmup * totalSteps ? 0 : 1),
  check: (batches) => {
    // No pseudo-label rule needed: TCL's unlabelled losses are contrastive, between each clip and its double-speed copy.
    const { weak, aux } = batches;
    if (weak !== null && (aux === null || rowsOf(aux) !== rowsOf(weak))) {
      throw new Error(`tcl needs a double-speed clip per unlabelled row (${rowsOf(weak)} rows, ${aux === null ? 0 : rowsOf(aux)} double-speed clips)`);
    }
  },
  loss: (ctx) => {
    if (ctx.batches.weak === null || ctx.lambdaU === 0) return labelledOnlyLoss(ctx);
    const { settings, step, totalSteps } = ctx.input;
    if (!tclFinetuning(settings, step, totalSteps)) return temporalContrastLoss(ctx);
    if (ctx.input.rule == null) throw new Error('tcl needs a pseudo-label rule for its fine-tuning');
    return selfTrainingLoss(ctx);
  },
};
