/**
 * The 'svt' pretraining objective on one batch (a whole step's or one shard's): the student's views of each clip
 * (`labelled.x`, view-major, step-tensors.ts) through the projection head, against the teacher's targets for
 * the clip's global views (`input.teacher`, one row per clip, labelled clips then unlabelled, made by the thread
 * that runs the step: svt-teacher.ts). The targets are constants here, so the shards of a step add up to it.
 */
import * as tf from '@tensorflow/tfjs';
import { NO_HEADS } from '../models/extra-heads.js';
import { lossContext, rowsOf, WHOLE_STEP, type SideValues } from './loss-terms.js';
import type { GradientInput } from './step-gradients.js';
import { SVT_TEACHER_VIEWS, svtLoss } from './svt-loss.js';

export function svtPretrainLoss(input: GradientInput, side: SideValues, owned: tf.Tensor[]): () => tf.Scalar {
  const views = input.labelled.x;
  const heads = input.heads ?? NO_HEADS;
  if (heads.projection === 0) throw new Error('pretraining needs a model with a projection head');
  const teacher = input.teacher ?? null;
  if (teacher === null) throw new Error("SVT pretraining needs the teacher's targets for every clip");
  const rows = [...teacher.labelled, ...teacher.unlabelled];
  const clips = rows.length;
  const width = SVT_TEACHER_VIEWS * heads.projection;
  if (clips === 0 || rowsOf(views) % clips !== 0) throw new Error(`SVT pretraining got ${rowsOf(views)} student views for ${clips} clips' targets`);
  const flat = new Float32Array(clips * width);
  rows.forEach((row, i) => {
    if (row.length !== width) throw new Error(`SVT target row ${i} has ${row.length} values; ${SVT_TEACHER_VIEWS} views of ${heads.projection} need ${width}`);
    flat.set(row, i * width);
  });
  const targets = tf.tensor2d(flat, [clips, width]);
  owned.push(targets);
  const { run } = lossContext(input, { x: views, y: input.labelled.y, weak: null, strong: null, aux: null }, 0, side, owned);
  const share = (input.share ?? WHOLE_STEP).clips;
  return () => {
    const projection = run(views).projection as tf.Tensor2D;
    const value = tf.mul<tf.Scalar>(svtLoss(targets, projection, SVT_TEACHER_VIEWS), share);
    side.unsupervised = tf.keep(value);
    owned.push(side.unsupervised);
    side.supervised = tf.keep(tf.scalar(0));
    owned.push(side.supervised);
    return tf.clone(value);
  };
}
