/**
 * VideoSSL: pseudo-label's loss without the ramp, plus λd · (mean KL over the labelled clips + mean KL over the
 * unlabelled ones) between an image teacher's probabilities on each clip's middle frame and an extra head
 * (distillation.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { methodInfo } from '../../../../shared/training.js';
import type { TeacherTargets } from '../train/step-tensors.js';
import { distillationLoss } from './distillation.js';
import { rowsOf, ruleOf, selfTrainingTerms, weakOf, type LossContext } from './loss-terms.js';
import type { MethodModule } from './method-module.js';
import type { GradientInput } from './step-gradients.js';

function checkTeacher(input: GradientInput, labelled: number, unlabelled: number): void {
  const teacher = input.teacher;
  const width = input.heads?.teacher ?? 0;
  if (width === 0) throw new Error('videossl needs a model with a teacher head');
  if (teacher == null || teacher.labelled.length !== labelled || teacher.unlabelled.length !== unlabelled) {
    throw new Error(
      `videossl needs the teacher's output for every clip (${labelled} labelled and ${unlabelled} unlabelled; got ${teacher?.labelled.length ?? 0} and ${teacher?.unlabelled.length ?? 0})`,
    );
  }
  const wrong = [...teacher.labelled, ...teacher.unlabelled].find((row) => row.length !== width);
  if (wrong !== undefined) throw new Error(`the teacher gave ${wrong.length} values for a clip; the student's teacher head has ${width}`);
}

/** [rows, dim] from one Float32Array per row. */
function rowsTensor(rows: readonly Float32Array[], dim: number): tf.Tensor2D {
  const flat = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => flat.set(row, i * dim));
  return tf.tensor2d(flat, [rows.length, dim]);
}

function distilledLoss(ctx: LossContext): () => tf.Scalar {
  const { batches, share, input } = ctx;
  const weak = weakOf(ctx);
  const teacher = input.teacher as TeacherTargets;
  const dim = input.heads?.teacher ?? 0;
  const rule = ruleOf(ctx);
  const b = ctx.labelledRows;
  return () => {
    const outputs = ctx.run(tf.concat([batches.x, weak], 0));
    const { supervised, pseudo } = selfTrainingTerms(ctx, outputs.logits, rule);
    const head = outputs.teacher as tf.Tensor2D;
    // Each kind's mean KL, weighted like the other terms by the shard's share of that kind.
    const unlabelledKl = tf.mul(distillationLoss(rowsTensor(teacher.unlabelled, dim), tf.slice(head, [b, 0], [-1, -1])), share.unlabelled);
    // A micro-batch without labelled clips has no labelled KL (and a labelled share of 0).
    const distilled = b === 0 ? unlabelledKl : tf.add(tf.mul(distillationLoss(rowsTensor(teacher.labelled, dim), tf.slice(head, [0, 0], [b, -1])), share.labelled), unlabelledKl);
    return tf.addN([supervised, tf.mul(pseudo, ctx.lambdaU), tf.mul(distilled, input.settings.distillWeight)]) as tf.Scalar;
  };
}

export const videoSslMethod: MethodModule = {
  info: methodInfo.videossl,
  check: (batches, input) => checkTeacher(input, rowsOf(batches.y), batches.weak === null ? 0 : rowsOf(batches.weak)),
  loss: distilledLoss,
};
