/**
 * Heads a training model carries besides the classifier: VideoSSL's distillation head (as wide as the
 * teacher's output) and the projection head of self-supervised pretraining. They read the pooled clip
 * features; the model's one output is [logits | teacher head | projection], so weights, EMA, optimizer,
 * checkpoints and gradient threads treat the model as before. The classifier alone is what is saved,
 * exported and predicted with (`classifierOf`).
 */
import * as tf from '@tensorflow/tfjs';
import { methodInfo, type TrainingMethod } from '../../../../shared/training.js';
import { LOGITS_LAYER } from '../../classifier-layers.js';

export { LOGITS_LAYER };

export interface ExtraHeads {
  /** Width of the distillation head (the teacher's output size); 0: none. */
  teacher: number;
  /** Width of the pretraining projection head; 0: none. */
  projection: number;
}

export const NO_HEADS: ExtraHeads = { teacher: 0, projection: 0 };

/** The projection head's output width (SimCLR-style, small for a small network). */
export const PROJECTION_DIM = 64;

const OUTPUTS_LAYER = 'heads';

/** The extra heads a run of these settings needs; `teacherDim` is the loaded teacher's output size (VideoSSL). */
export function headsFor(settings: { method: TrainingMethod; pretrainEpochs: number }, teacherDim: number): ExtraHeads {
  return { teacher: methodInfo[settings.method].teacher ? teacherDim : 0, projection: settings.pretrainEpochs > 0 ? PROJECTION_DIM : 0 };
}

export function hasExtraHeads(heads: ExtraHeads | undefined): heads is ExtraHeads {
  return heads !== undefined && (heads.teacher > 0 || heads.projection > 0);
}

/** Adds the heads to `pooled` features and joins them after `logits` into one output. */
export function withExtraHeads(
  logits: tf.SymbolicTensor,
  pooled: tf.SymbolicTensor,
  heads: ExtraHeads,
  initializer: () => ReturnType<typeof tf.initializers.glorotUniform>,
): tf.SymbolicTensor {
  const outputs = [logits];
  if (heads.teacher > 0) {
    outputs.push(tf.layers.dense({ units: heads.teacher, kernelInitializer: initializer(), name: 'teacher_head' }).apply(pooled) as tf.SymbolicTensor);
  }
  if (heads.projection > 0) {
    const width = pooled.shape[1] ?? heads.projection;
    const hidden = tf.layers.dense({ units: width, activation: 'relu', kernelInitializer: initializer(), name: 'projection_hidden' }).apply(pooled) as tf.SymbolicTensor;
    outputs.push(tf.layers.dense({ units: heads.projection, kernelInitializer: initializer(), name: 'projection' }).apply(hidden) as tf.SymbolicTensor);
  }
  return tf.layers.concatenate({ axis: -1, name: OUTPUTS_LAYER }).apply(outputs) as tf.SymbolicTensor;
}

export interface HeadOutputs {
  logits: tf.Tensor2D;
  teacher: tf.Tensor2D | null;
  projection: tf.Tensor2D | null;
}

/** The model's output [N, C + heads] split into its parts (call inside a tidy or dispose them). */
export function splitHeads(output: tf.Tensor2D, classes: number, heads: ExtraHeads): HeadOutputs {
  const expected = classes + heads.teacher + heads.projection;
  if (output.shape[1] !== expected) throw new Error(`model output has ${output.shape[1]} columns; ${classes} classes and these heads need ${expected}`);
  if (!hasExtraHeads(heads)) return { logits: output, teacher: null, projection: null };
  const rows = output.shape[0];
  return {
    logits: tf.slice(output, [0, 0], [rows, classes]),
    teacher: heads.teacher > 0 ? tf.slice(output, [0, classes], [rows, heads.teacher]) : null,
    projection: heads.projection > 0 ? tf.slice(output, [0, classes + heads.teacher], [rows, heads.projection]) : null,
  };
}

/**
 * The classifier inside a model with extra heads: a model over the same layers (and so the same weights,
 * EMA swaps included) whose output is the logits. A model without heads is returned as it is.
 * Never dispose the returned view on its own: its layers belong to `model`.
 */
export function classifierOf(model: tf.LayersModel): tf.LayersModel {
  if (!model.layers.some((l) => l.name === OUTPUTS_LAYER)) return model;
  const logits = model.getLayer(LOGITS_LAYER).output as tf.SymbolicTensor;
  return tf.model({ inputs: model.inputs, outputs: logits, name: model.name });
}
