/**
 * Converters of the layers that work on the spatial axes: Conv1D/2D, pooling and up-sampling. They run
 * channels-first (ONNX's layout); 'same' padding becomes explicit pads with TensorFlow's rule (the odd
 * pixel after), so the graph needs no auto_pad.
 */
import { applyActivation } from './activation-ops.js';
import { fixedDims, transposeData, type OnnxValue } from './convert-context.js';
import type { KerasLayer } from './keras-model-files.js';
import { assertChannelsLast, configBoolean, configInts, configNumber, configString } from './layer-config.js';
import type { LayerConverter } from './layer-converter.js';

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  padding: 'same' | 'valid';
}

function paddingOf(layer: KerasLayer): 'same' | 'valid' {
  const padding = configString(layer, 'padding', 'valid');
  if (padding !== 'same' && padding !== 'valid') throw new Error(`layer ${layer.name} (${layer.className}): padding ${padding} is not supported (same or valid)`);
  return padding;
}

function spatialSizes(x: OnnxValue, rank: number, layer: KerasLayer): number[] {
  if (x.shape.length !== rank + 2) throw new Error(`layer ${layer.name} (${layer.className}): expected a rank-${rank + 2} input, got [${x.shape.map(String).join(', ')}]`);
  return fixedDims(x.shape, layer).slice(0, rank);
}

/** Output sizes and ONNX pads [begins…, ends…] of a sliding window over `sizes`. */
function windowGeometry(sizes: number[], w: Window): { out: number[]; pads: number[] } {
  const out: number[] = [];
  const begins: number[] = [];
  const ends: number[] = [];
  sizes.forEach((size, i) => {
    const k = w.kernel[i] ?? 1;
    const s = w.strides[i] ?? 1;
    const d = w.dilations[i] ?? 1;
    const span = (k - 1) * d + 1;
    if (w.padding === 'valid') {
      out.push(Math.floor((size - span) / s) + 1);
      begins.push(0);
      ends.push(0);
      return;
    }
    const o = Math.ceil(size / s);
    const total = Math.max((o - 1) * s + span - size, 0);
    out.push(o);
    begins.push(Math.floor(total / 2));
    ends.push(total - Math.floor(total / 2));
  });
  if (out.some((o) => o < 1)) throw new Error(`a window of [${w.kernel.join(', ')}] does not fit the input [${sizes.join(', ')}]`);
  return { out, pads: [...begins, ...ends] };
}

function conv(rank: number): LayerConverter {
  return (layer, [x], ctx) => {
    assertChannelsLast(layer);
    if (x === undefined) throw new Error(`layer ${layer.name}: no input`);
    if (configNumber(layer, 'groups', 1) !== 1) throw new Error(`layer ${layer.name} (${layer.className}): grouped convolutions are not supported`);
    const sizes = spatialSizes(x, rank, layer);
    const w: Window = {
      kernel: configInts(layer, 'kernel_size', rank),
      strides: configInts(layer, 'strides', rank, 1),
      dilations: configInts(layer, 'dilation_rate', rank, 1),
      padding: paddingOf(layer),
    };
    const { out, pads } = windowGeometry(sizes, w);
    const kernel = ctx.weight(layer, 'kernel');
    // Keras [k…, in, out] → ONNX [out, in, k…].
    const perm = [rank + 1, rank, ...Array.from({ length: rank }, (_, i) => i)];
    const onnxKernel = transposeData(kernel.data, kernel.shape, perm);
    const filters = onnxKernel.shape[0] ?? 0;
    const inputs = [ctx.as(x, 'channelsFirst').name, ctx.floats(`${layer.name}_kernel`, onnxKernel.shape, onnxKernel.data)];
    if (configBoolean(layer, 'use_bias', true)) {
      const bias = ctx.weight(layer, 'bias');
      inputs.push(ctx.floats(`${layer.name}_bias`, bias.shape, bias.data));
    }
    const name = ctx.node('Conv', inputs, layer.name, { kernel_shape: w.kernel, strides: w.strides, dilations: w.dilations, pads });
    const value: OnnxValue = { name, shape: [null, ...out, filters], layout: 'channelsFirst' };
    return applyActivation(ctx, value, configString(layer, 'activation', 'linear'), layer.name);
  };
}

function pool(rank: number, op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return (layer, [x], ctx) => {
    assertChannelsLast(layer);
    if (x === undefined) throw new Error(`layer ${layer.name}: no input`);
    const sizes = spatialSizes(x, rank, layer);
    const kernel = configInts(layer, 'pool_size', rank, 2);
    const strides = layer.config['strides'] === null || layer.config['strides'] === undefined ? kernel : configInts(layer, 'strides', rank);
    const { out, pads } = windowGeometry(sizes, { kernel, strides, dilations: kernel.map(() => 1), padding: paddingOf(layer) });
    // count_include_pad 0 (the default): 'same' averages only the pixels inside, as TensorFlow does.
    const name = ctx.node(op, [ctx.as(x, 'channelsFirst').name], layer.name, { kernel_shape: kernel, strides, pads });
    return { name, shape: [null, ...out, x.shape[x.shape.length - 1] ?? null], layout: 'channelsFirst' };
  };
}

/** GlobalAverage/MaxPooling1D/2D: reduce every axis but batch and channels, in the layout the value has. */
function reduceSpatial(op: 'ReduceMean' | 'ReduceMax'): LayerConverter {
  return (layer, [x], ctx) => {
    assertChannelsLast(layer);
    if (x === undefined) throw new Error(`layer ${layer.name}: no input`);
    if (configBoolean(layer, 'keepdims', false)) throw new Error(`layer ${layer.name} (${layer.className}): keepdims is not supported`);
    const rank = x.shape.length;
    const axes = Array.from({ length: rank - 2 }, (_, i) => (x.layout === 'keras' ? i + 1 : i + 2));
    const name = ctx.node(op, [x.name], layer.name, { axes, keepdims: 0 });
    return { name, shape: [null, x.shape[rank - 1] ?? null], layout: 'keras' };
  };
}

/** UpSampling2D, nearest neighbour: Resize with integer scales, asymmetric coordinates, floor. */
const upSampling2d: LayerConverter = (layer, [x], ctx) => {
  assertChannelsLast(layer);
  if (x === undefined) throw new Error(`layer ${layer.name}: no input`);
  const interpolation = configString(layer, 'interpolation', 'nearest');
  if (interpolation !== 'nearest') throw new Error(`layer ${layer.name} (UpSampling2D): interpolation ${interpolation} is not supported (nearest only)`);
  const [h, w, c] = spatialSizes(x, 2, layer).concat(fixedDims(x.shape, layer).slice(2));
  const [sh = 1, sw = 1] = configInts(layer, 'size', 2, 2);
  const scales = ctx.floats(`${layer.name}_scales`, [4], Float32Array.of(1, 1, sh, sw));
  const name = ctx.node('Resize', [ctx.as(x, 'channelsFirst').name, '', scales], layer.name, {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  });
  return { name, shape: [null, (h ?? 0) * sh, (w ?? 0) * sw, c ?? null], layout: 'channelsFirst' };
};

export const spatialLayerConverters: Record<string, LayerConverter> = {
  Conv1D: conv(1),
  Conv2D: conv(2),
  MaxPooling1D: pool(1, 'MaxPool'),
  MaxPooling2D: pool(2, 'MaxPool'),
  AveragePooling1D: pool(1, 'AveragePool'),
  AveragePooling2D: pool(2, 'AveragePool'),
  GlobalAveragePooling1D: reduceSpatial('ReduceMean'),
  GlobalAveragePooling2D: reduceSpatial('ReduceMean'),
  GlobalMaxPooling1D: reduceSpatial('ReduceMax'),
  GlobalMaxPooling2D: reduceSpatial('ReduceMax'),
  UpSampling2D: upSampling2d,
};
