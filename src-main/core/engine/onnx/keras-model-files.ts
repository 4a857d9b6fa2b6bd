/**
 * Reads a saved TF.js layers model (model.json: Keras topology + weights manifest, and its weight
 * files) as plain data: the layers with their configs and inbound connections, and every weight by
 * name. No TensorFlow.js, so the main thread can convert a model.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface InboundTensor {
  layer: string;
  node: number;
  tensor: number;
}

export interface KerasLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** The tensors the layer's (single) call reads, in order; empty for an input layer. */
  inbound: InboundTensor[];
}

export interface KerasWeight {
  shape: number[];
  data: Float32Array;
}

export interface KerasModel {
  name: string;
  layers: Map<string, KerasLayer>;
  inputs: InboundTensor[];
  outputs: InboundTensor[];
  /** By their saved names, `layer/weight` (e.g. `logits/kernel`). */
  weights: Map<string, KerasWeight>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tensorRef(value: unknown, where: string): InboundTensor {
  if (!Array.isArray(value) || typeof value[0] !== 'string' || typeof value[1] !== 'number' || typeof value[2] !== 'number') {
    throw new Error(`${where}: expected [layer, node, tensor], got ${JSON.stringify(value)}`);
  }
  return { layer: value[0], node: value[1], tensor: value[2] };
}

function parseLayer(value: unknown, file: string): KerasLayer {
  if (!isObject(value) || typeof value['class_name'] !== 'string' || !isObject(value['config'])) {
    throw new Error(`${file}: a layer without class_name and config`);
  }
  const config = value['config'];
  const name = typeof value['name'] === 'string' ? value['name'] : config['name'];
  if (typeof name !== 'string') throw new Error(`${file}: a ${value['class_name']} layer has no name`);
  const nodes = Array.isArray(value['inbound_nodes']) ? value['inbound_nodes'] : [];
  if (nodes.length > 1) {
    throw new Error(`${file}: layer ${name} is applied ${nodes.length} times; the ONNX export handles layers applied once`);
  }
  const first: unknown = nodes[0] ?? [];
  if (!Array.isArray(first)) throw new Error(`${file}: layer ${name} has malformed inbound_nodes`);
  const inbound = first.map((ref) => tensorRef(ref, `${file}: layer ${name}`));
  return { className: value['class_name'], name, config, inbound };
}

function parseWeights(manifest: unknown, data: Uint8Array, file: string): Map<string, KerasWeight> {
  if (!Array.isArray(manifest)) throw new Error(`${file}: no weightsManifest`);
  const weights = new Map<string, KerasWeight>();
  let offset = 0;
  for (const group of manifest) {
    const specs: unknown = isObject(group) ? group['weights'] : undefined;
    if (!Array.isArray(specs)) throw new Error(`${file}: a weights group without weights`);
    for (const spec of specs) {
      if (!isObject(spec) || typeof spec['name'] !== 'string' || !Array.isArray(spec['shape'])) throw new Error(`${file}: a weight without name or shape`);
      const name = spec['name'];
      if (spec['dtype'] !== 'float32' || spec['quantization'] !== undefined) {
        throw new Error(`${file}: weight ${name} is ${String(spec['dtype'])}${spec['quantization'] !== undefined ? ' (quantised)' : ''}; the ONNX export reads float32 weights`);
      }
      const shape = spec['shape'].map(Number);
      const count = shape.reduce((a, b) => a * b, 1);
      const bytes = count * 4;
      if (offset + bytes > data.byteLength) throw new Error(`${file}: the weights are truncated at ${name} (${data.byteLength} bytes)`);
      const copy = data.slice(offset, offset + bytes);
      weights.set(name, { shape, data: new Float32Array(copy.buffer, copy.byteOffset, count) });
      offset += bytes;
    }
  }
  return weights;
}

/** Parses model.json's text and the concatenated bytes of its weight files. */
export function parseKerasModel(modelJson: string, weightData: Uint8Array, file = 'model.json'): KerasModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(modelJson);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const topology = isObject(parsed) ? parsed['modelTopology'] : undefined;
  if (!isObject(topology) || !isObject(topology['config'])) throw new Error(`${file} is not a TF.js layers model (no modelTopology)`);
  const kind = topology['class_name'];
  if (kind !== 'Model' && kind !== 'Functional') {
    throw new Error(`${file}: a ${String(kind)} model; the ONNX export reads functional models (class_name Model)`);
  }
  const config = topology['config'];
  const layerList = config['layers'];
  if (!Array.isArray(layerList)) throw new Error(`${file}: the model has no layers`);
  const layers = new Map<string, KerasLayer>();
  for (const raw of layerList) {
    const layer = parseLayer(raw, file);
    layers.set(layer.name, layer);
  }
  const refs = (key: string): InboundTensor[] => {
    const list = config[key];
    if (!Array.isArray(list)) throw new Error(`${file}: the model has no ${key}`);
    return list.map((ref) => tensorRef(ref, `${file}: ${key}`));
  };
  const weights = parseWeights(isObject(parsed) ? parsed['weightsManifest'] : undefined, weightData, file);
  return { name: typeof config['name'] === 'string' ? config['name'] : 'model', layers, inputs: refs('input_layers'), outputs: refs('output_layers'), weights };
}

/** Reads `dir`/model.json and the weight files its manifest names. */
export async function readKerasModel(dir: string): Promise<KerasModel> {
  const file = path.join(dir, 'model.json');
  const text = await fs.readFile(file, 'utf8').catch((error: Error) => {
    throw new Error(`no model at ${dir}: cannot read model.json (${error.message})`);
  });
  let paths: string[] = [];
  try {
    const manifest = (JSON.parse(text) as { weightsManifest?: { paths?: unknown }[] }).weightsManifest ?? [];
    paths = manifest.flatMap((group) => (Array.isArray(group.paths) ? group.paths.filter((p): p is string => typeof p === 'string') : []));
  } catch {
    // parseKerasModel says what is wrong with the JSON.
  }
  const chunks: Uint8Array[] = [];
  for (const relative of paths) {
    const weightsFile = path.resolve(dir, relative);
    if (path.relative(dir, weightsFile).startsWith('..')) throw new Error(`${file}: weights path ${relative} leaves the model folder`);
    chunks.push(
      await fs.readFile(weightsFile).catch((error: Error) => {
        throw new Error(`model ${dir}: cannot read weights ${relative} (${error.message})`);
      }),
    );
  }
  return parseKerasModel(text, Buffer.concat(chunks), file);
}
