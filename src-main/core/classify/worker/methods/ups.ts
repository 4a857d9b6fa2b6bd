/**
 * UPS: the unlabelled rows are clips UPS selected (ups-round.ts); a row with a pseudo-label gets its
 * cross-entropy, a row with "surely not" classes the negative-learning loss, both over μB:
 * λu (1/μB) (Σ_pos H(ŷ, f(u)) + Σ_neg ℓ_NL(f(u))). No threshold at step time: the selection was the threshold.
 * Each round starts from fresh weights; the first trains on the labelled clips alone unless people ruled out
 * classes.
 */
import * as tf from '@tensorflow/tfjs';
import { methodInfo } from '../../../../shared/training.js';
import { crossEntropyPerRow } from '../../../engine/worker/losses.js';
import { initialUpsState } from '../train/ups-round.js';
import type { UnlabelledTargets } from '../train/step-tensors.js';
import { labelledOnlyLoss, rowsOf, type LossContext } from './loss-terms.js';
import type { MethodModule } from './method-module.js';
import { negativeLearningLossPerRow } from './negative-learning.js';

function selectedLoss(ctx: LossContext): () => tf.Scalar {
  const { batches } = ctx;
  const weak = batches.weak;
  if (weak === null) return labelledOnlyLoss(ctx);
  const targets = ctx.input.targets as UnlabelledTargets;
  const b = ctx.labelledRows;
  const rows = rowsOf(weak);
  return () => {
    const logits = ctx.forward(tf.concat([batches.x, weak], 0));
    const supervised = ctx.labelledTerms(tf.slice(logits, [0, 0], [b, -1]));
    const unlabelledLogits = tf.slice(logits, [b, 0], [-1, -1]);
    const classes = unlabelledLogits.shape[1] ?? 0;
    const positive = tf.tensor1d(targets.labels.map((l) => (l >= 0 ? 1 : 0)), 'float32');
    const labels = tf.tensor1d(targets.labels.map((l) => Math.max(0, l)), 'int32');
    const negativeMask = new Float32Array(rows * classes);
    targets.negatives.forEach((ruledOut, row) => {
      if ((targets.labels[row] ?? -1) < 0) for (const c of ruledOut) if (c >= 0 && c < classes) negativeMask[row * classes + c] = 1;
    });
    const perRow = tf.add(
      tf.mul(crossEntropyPerRow(unlabelledLogits, labels), positive),
      negativeLearningLossPerRow(unlabelledLogits, tf.tensor2d(negativeMask, [rows, classes])),
    );
    return ctx.total(supervised, ctx.unlabelledTerm(tf.div<tf.Scalar>(tf.sum(perRow), rows), positive));
  };
}

export const upsMethod: MethodModule = {
  info: methodInfo.ups,
  unlabelledOptional: true,
  ruleFree: true,
  check: (batches, input) => {
    const weak = batches.weak;
    if (weak !== null && input.targets?.labels.length !== rowsOf(weak)) {
      throw new Error(`ups needs a target per unlabelled row (${rowsOf(weak)} rows, ${input.targets?.labels.length ?? 0} targets)`);
    }
  },
  loss: selectedLoss,
  rounds: { label: 'UPS', initial: initialUpsState },
};
