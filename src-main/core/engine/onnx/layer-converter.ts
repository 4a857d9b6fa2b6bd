import type { ConvertContext, OnnxValue } from './convert-context.js';
import type { KerasLayer } from './keras-model-files.js';

/** Adds the ONNX nodes of one Keras layer applied to `inputs` and returns its output value. */
export type LayerConverter = (layer: KerasLayer, inputs: OnnxValue[], ctx: ConvertContext) => OnnxValue;
