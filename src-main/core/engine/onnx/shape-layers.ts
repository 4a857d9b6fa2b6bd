/**
 * Converters of the layers that only move values: Reshape, Flatten, Permute and the app's time folding
 * (VsslFoldTime [N, T, …] → [N·T, …], VsslUnfoldTime the way back), which become Reshape with the batch
 * left dynamic (-1). They work on the Keras layout, where Keras defines them.
 */
import { fixedDims, type OnnxValue } from './convert-context.js';
import type { KerasLayer } from './keras-model-files.js';
import { configNumber } from './layer-config.js';
import type { LayerConverter } from './layer-converter.js';

function one(inputs: OnnxValue[], layer: KerasLayer): OnnxValue {
  const [x] = inputs;
  if (x === undefined || inputs.length !== 1) throw new Error(`layer ${layer.name}: expected one input, got ${inputs.length}`);
  return x;
}

const reshapeTo = (dims: number[]): LayerConverter => (layer, inputs, ctx) => {
  const x = ctx.as(one(inputs, layer), 'keras');
  const name = ctx.node('Reshape', [x.name, ctx.ints(`${layer.name}_shape`, [-1, ...dims])], layer.name);
  return { name, shape: [null, ...dims], layout: 'keras' };
};

const reshape: LayerConverter = (layer, inputs, ctx) => {
  const x = one(inputs, layer);
  const raw = layer.config['target_shape'];
  // TF.js saves an inferred size (-1) as null.
  const target = Array.isArray(raw) ? raw.map((d: unknown) => (d === null ? -1 : d)) : raw;
  if (!Array.isArray(target) || !target.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    throw new Error(`layer ${layer.name} (Reshape): target_shape should be integers, got ${JSON.stringify(raw)}`);
  }
  const size = fixedDims(x.shape, layer).reduce((a, b) => a * b, 1);
  const known = (target as number[]).filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const dims = (target as number[]).map((d) => (d === -1 ? size / known : d));
  if (dims.reduce((a, b) => a * b, 1) !== size || !dims.every(Number.isInteger)) {
    throw new Error(`layer ${layer.name} (Reshape): cannot reshape [${x.shape.slice(1).join(', ')}] to [${target.join(', ')}]`);
  }
  return reshapeTo(dims)(layer, inputs, ctx);
};

const flatten: LayerConverter = (layer, inputs, ctx) => reshapeTo([fixedDims(one(inputs, layer).shape, layer).reduce((a, b) => a * b, 1)])(layer, inputs, ctx);

const permute: LayerConverter = (layer, inputs, ctx) => {
  const x = ctx.as(one(inputs, layer), 'keras');
  const raw: unknown = layer.config['dims'];
  const rank = x.shape.length;
  const dims = Array.isArray(raw) && raw.every((d): d is number => typeof d === 'number') ? raw : [];
  if (dims.length !== rank - 1 || [...dims].sort((a, b) => a - b).some((d, i) => d !== i + 1)) {
    throw new Error(`layer ${layer.name} (Permute): dims should reorder 1..${rank - 1}, got ${JSON.stringify(raw)}`);
  }
  const perm = [0, ...dims];
  const name = ctx.node('Transpose', [x.name], layer.name, { perm });
  return { name, shape: perm.map((axis) => x.shape[axis] ?? null), layout: 'keras' };
};

const foldTime: LayerConverter = (layer, inputs, ctx) => {
  const x = one(inputs, layer);
  if (x.shape.length < 3) throw new Error(`layer ${layer.name} (VsslFoldTime): needs [N, T, …], got rank ${x.shape.length}`);
  return reshapeTo(fixedDims(x.shape, layer).slice(1))(layer, inputs, ctx);
};

const unfoldTime: LayerConverter = (layer, inputs, ctx) => {
  const x = one(inputs, layer);
  const frames = configNumber(layer, 'frames');
  return reshapeTo([frames, ...fixedDims(x.shape, layer)])(layer, inputs, ctx);
};

export const shapeLayerConverters: Record<string, LayerConverter> = {
  Reshape: reshape,
  Flatten: flatten,
  Permute: permute,
  VsslFoldTime: foldTime,
  VsslUnfoldTime: unfoldTime,
};

