/**
 * Converts a saved Keras/TF.js functional model to an ONNX graph, one small converter per layer class
 * (core-layers, spatial-layers, shape-layers). Only the layers the requested outputs depend on are
 * converted, so training-only heads beside them stay out of the graph. The inputs keep the model's
 * channels-last layout and a dynamic batch dimension called `batch`.
 */
import { ConvertContext, type KerasShape, type OnnxValue } from './convert-context.js';
import { coreLayerConverters } from './core-layers.js';
import type { KerasLayer, KerasModel } from './keras-model-files.js';
import type { LayerConverter } from './layer-converter.js';
import { OnnxGraph } from './onnx-graph.js';
import { shapeLayerConverters } from './shape-layers.js';
import { spatialLayerConverters } from './spatial-layers.js';

const CONVERTERS: Record<string, LayerConverter> = { ...coreLayerConverters, ...spatialLayerConverters, ...shapeLayerConverters };

/** The Keras layer classes the export converts. */
export const CONVERTIBLE_LAYER_CLASSES = Object.keys(CONVERTERS).sort();

export interface ConvertedModel {
  graph: OnnxGraph;
  ctx: ConvertContext;
  /** The model's inputs as graph inputs (named after their input layers), in order. */
  inputs: OnnxValue[];
  /** The requested layers' outputs, in the order asked for. */
  outputs: OnnxValue[];
}

function inputShape(layer: KerasLayer): (number | null)[] {
  const shape = layer.config['batch_input_shape'] ?? layer.config['batchInputShape'];
  if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every((d) => typeof d === 'number')) {
    throw new Error(`input layer ${layer.name}: batch_input_shape should be [null, sizes…], got ${JSON.stringify(shape)}`);
  }
  return [null, ...(shape.slice(1) as number[])];
}

export interface ConvertOptions {
  /**
   * Input layers the caller computes in the graph instead of taking them as graph inputs: given the
   * graph and the layer's Keras shape, return the name of a value of that shape (Keras layout).
   */
  computedInputs?: Record<string, (graph: OnnxGraph, shape: KerasShape) => string>;
  /** Names the caller will give graph inputs or outputs: no inner value takes them. */
  reservedNames?: string[];
}

/** Converts the layers `outputLayers` depend on; each becomes a value the caller names as an output. */
export function convertKerasModel(model: KerasModel, outputLayers: string[], options: ConvertOptions = {}): ConvertedModel {
  const graph = new OnnxGraph();
  graph.reserve(options.reservedNames ?? []);
  const ctx = new ConvertContext(graph, model);
  const values = new Map<string, OnnxValue>();
  const inputs = model.inputs.map((ref) => {
    const layer = model.layers.get(ref.layer);
    if (layer === undefined || layer.className !== 'InputLayer') throw new Error(`model ${model.name}: input ${ref.layer} is not an input layer`);
    const shape = inputShape(layer);
    const computed = options.computedInputs?.[layer.name];
    const name = computed !== undefined ? computed(graph, shape) : graph.addInput(layer.name, ['batch', ...(shape.slice(1) as number[])]);
    const value: OnnxValue = { name, shape, layout: 'keras' };
    values.set(layer.name, value);
    return value;
  });
  const inProgress = new Set<string>();
  const convert = (name: string): OnnxValue => {
    const done = values.get(name);
    if (done !== undefined) return done;
    const layer = model.layers.get(name);
    if (layer === undefined) throw new Error(`model ${model.name} has no layer ${name}`);
    if (inProgress.has(name)) throw new Error(`model ${model.name}: layer ${name} depends on itself`);
    const converter = CONVERTERS[layer.className];
    if (converter === undefined) {
      throw new Error(`layer ${layer.name}: the ONNX export does not know the layer class ${layer.className} (it converts ${CONVERTIBLE_LAYER_CLASSES.join(', ')})`);
    }
    inProgress.add(name);
    const layerInputs = layer.inbound.map((ref) => {
      if (ref.node !== 0 || ref.tensor !== 0) throw new Error(`layer ${layer.name}: reads output ${ref.tensor} of call ${ref.node} of ${ref.layer}; only single-output layers applied once are converted`);
      return convert(ref.layer);
    });
    if (layerInputs.length === 0) throw new Error(`layer ${layer.name} (${layer.className}) has no inputs`);
    const value = converter(layer, layerInputs, ctx);
    inProgress.delete(name);
    values.set(name, value);
    return value;
  };
  return { graph, ctx, inputs, outputs: outputLayers.map(convert) };
}
