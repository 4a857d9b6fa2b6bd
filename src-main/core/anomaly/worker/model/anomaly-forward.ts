/**
 * Runs the model's heads on chosen rows of a batch. A training batch stacks three tasks' inputs; the
 * encoder sees all of them in one pass (one set of batch statistics) and each head only the rows of its
 * own task, so the decoder does not spend a forward and backward pass on rows whose loss is not its own.
 */
import * as tf from '@tensorflow/tfjs';
import { ENCODER_OUTPUT } from './anomaly-encoder.js';
import { HEAD_PREFIX, type HeadName } from './anomaly-heads.js';
import { ANOMALY_OUTPUTS } from './anomaly-model-spec.js';

interface ModelParts {
  /** The full model's layers from its input to the code map (shares the model's weights: never dispose it). */
  encoder: tf.LayersModel;
  heads: Partial<Record<HeadName, tf.layers.Layer[]>>;
}

const partsByModel = new WeakMap<tf.LayersModel, ModelParts>();

function headChain(model: tf.LayersModel, head: HeadName): tf.layers.Layer[] | undefined {
  const chain = model.layers.filter((layer) => layer.name.startsWith(HEAD_PREFIX[head]));
  if (chain.length === 0) return undefined;
  if (chain[chain.length - 1]?.name !== ANOMALY_OUTPUTS[head]) {
    throw new Error(`model ${model.name}: the ${head} head does not end in its output layer ${ANOMALY_OUTPUTS[head]}`);
  }
  return chain;
}

function partsOf(model: tf.LayersModel): ModelParts {
  const cached = partsByModel.get(model);
  if (cached !== undefined) return cached;
  let code: tf.SymbolicTensor;
  try {
    code = model.getLayer(ENCODER_OUTPUT).output as tf.SymbolicTensor;
  } catch {
    throw new Error(`model ${model.name} is not an anomaly model: it has no layer ${ENCODER_OUTPUT}`);
  }
  const encoder = tf.model({ inputs: model.inputs, outputs: code, name: `${model.name}_encoder` });
  const heads: ModelParts['heads'] = {};
  for (const head of Object.keys(HEAD_PREFIX) as HeadName[]) {
    const chain = headChain(model, head);
    if (chain !== undefined) heads[head] = chain;
  }
  const parts = { encoder, heads };
  partsByModel.set(model, parts);
  return parts;
}

export function hasHead(model: tf.LayersModel, head: HeadName): boolean {
  return partsOf(model).heads[head] !== undefined;
}

/** The code map [N, s, s, K] of inputs [N, 6, S, S, C]. */
export function encode(model: tf.LayersModel, x: tf.Tensor, training: boolean): tf.Tensor4D {
  return partsOf(model).encoder.apply(x, { training }) as tf.Tensor4D;
}

/** One head's output on code rows [R, s, s, K]. */
export function runHead(model: tf.LayersModel, head: HeadName, code: tf.Tensor, training: boolean): tf.Tensor {
  const chain = partsOf(model).heads[head];
  if (chain === undefined) throw new Error(`model ${model.name} has no ${head} head`);
  let x = code;
  for (const layer of chain) x = layer.apply(x, { training }) as tf.Tensor;
  return x;
}
