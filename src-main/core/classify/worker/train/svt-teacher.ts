/**
 * SVT's teacher for one pretraining step, on the thread that runs the step: the EMA weights see two global views
 * of every clip (no gradient, inference mode), and their projection outputs become the targets the student's
 * views are matched with (centred with the running centre, sharpened). The step's mean output moves the centre
 * after the step. The targets travel with the step's clips, so every shard of a split step uses the same ones.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../../shared/training.js';
import type { Rng } from '../../../engine/random.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { globalViews } from '../augment/svt-views.js';
import { clipBatchToTensor } from '../data/clip-tensor.js';
import type { EmaWeights } from '../methods/ema-weights.js';
import { SVT_TEACHER_VIEWS, svtTeacherTargets, type SvtCentre } from '../methods/svt-loss.js';
import { splitHeads, type ExtraHeads } from '../models/extra-heads.js';
import { pretrainClips, type StepBytes, type TeacherTargets } from './step-tensors.js';

export interface SvtTeacherStep {
  /** One row per clip (labelled, then unlabelled): its global views' targets side by side. */
  targets: TeacherTargets;
  /** The teacher's mean projection output over the step's views, for the centre. */
  mean: Float32Array;
}

export interface SvtTeacher {
  model: tf.LayersModel;
  ema: EmaWeights;
  heads: ExtraHeads;
  centre: SvtCentre;
}

export async function svtTeacherStep(teacher: SvtTeacher, bytes: StepBytes, spec: ClipSpec, settings: TrainSettings, rng: Rng): Promise<SvtTeacherStep> {
  const { model, heads } = teacher;
  if (heads.projection === 0) throw new Error('SVT pretraining needs a model with a projection head');
  const clips = pretrainClips(bytes, settings);
  const n = clips.length;
  const width = heads.projection;
  const classes = (model.outputs[0]?.shape[1] ?? 0) - heads.teacher - heads.projection;
  const { rows, mean } = await teacher.ema.withEma(model, () =>
    tf.tidy(() => {
      const views = globalViews(clipBatchToTensor(clips, spec), SVT_TEACHER_VIEWS, rng, { flip: settings.flip });
      const outputs = splitHeads(model.apply(views, { training: false }) as tf.Tensor2D, classes, heads).projection as tf.Tensor2D;
      const targets = svtTeacherTargets(outputs, tf.tensor1d(teacher.centre.values));
      const perClip = tf.reshape(tf.transpose(tf.reshape(targets, [SVT_TEACHER_VIEWS, n, width]), [1, 0, 2]), [n, SVT_TEACHER_VIEWS * width]);
      return { rows: perClip, mean: tf.mean(outputs, 0) };
    }),
  );
  try {
    const values = (await rows.data()) as Float32Array;
    const perClip = Array.from({ length: n }, (_, i) => values.slice(i * SVT_TEACHER_VIEWS * width, (i + 1) * SVT_TEACHER_VIEWS * width));
    const labelled = bytes.labelled.length;
    return { targets: { labelled: perClip.slice(0, labelled), unlabelled: perClip.slice(labelled) }, mean: (await mean.data()) as Float32Array };
  } finally {
    tf.dispose([rows, mean]);
  }
}
