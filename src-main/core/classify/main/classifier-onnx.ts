/**
 * The classifier as an ONNX graph: clips [batch, T, S, S, 3] float32 0..1 (the app's NTHWC layout)
 * → class probabilities [batch, C], Softmax of the logits layer. Extra training heads and MC-dropout
 * are not in it: inference is deterministic, the app's prediction without MC-dropout passes.
 */
import { convertKerasModel } from '../../engine/onnx/convert-keras-model.js';
import type { KerasModel } from '../../engine/onnx/keras-model-files.js';
import type { OnnxGraphInfo } from '../../engine/onnx/onnx-graph.js';
import { LOGITS_LAYER } from '../classifier-layers.js';

export const CLASSIFIER_ONNX_INPUT = 'clips';
export const CLASSIFIER_ONNX_OUTPUT = 'probabilities';

export interface ClassifierOnnx {
  bytes: Uint8Array;
  /** [frames, size, size, channels] after the batch. */
  inputShape: number[];
  classes: number;
}

export function classifierOnnx(model: KerasModel, info: OnnxGraphInfo): ClassifierOnnx {
  if (!model.layers.has(LOGITS_LAYER)) throw new Error(`model ${model.name} is not a VSSL classifier: it has no ${LOGITS_LAYER} layer`);
  const { graph, ctx, inputs, outputs } = convertKerasModel(model, [LOGITS_LAYER]);
  const [input] = inputs;
  const [logits] = outputs;
  if (input === undefined || inputs.length !== 1 || input.name !== CLASSIFIER_ONNX_INPUT || input.shape.length !== 5) {
    throw new Error(`model ${model.name} is not a VSSL classifier: it does not take one input ${CLASSIFIER_ONNX_INPUT} [N, T, S, S, C]`);
  }
  const classes = logits?.shape[1];
  if (logits === undefined || logits.shape.length !== 2 || typeof classes !== 'number') throw new Error(`model ${model.name}: the ${LOGITS_LAYER} layer does not give [N, classes]`);
  const probabilities = ctx.node('Softmax', [ctx.as(logits, 'keras').name], CLASSIFIER_ONNX_OUTPUT, { axis: 1 });
  graph.addOutput(probabilities, CLASSIFIER_ONNX_OUTPUT, ['batch', classes]);
  return { bytes: graph.encode({ graphName: model.name, ...info }), inputShape: input.shape.slice(1) as number[], classes };
}
