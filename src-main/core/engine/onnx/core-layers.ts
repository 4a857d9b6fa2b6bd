/** Converters of Dense, BatchNormalization, activations, dropout and the merge layers. */
import { applyActivation, channelAxis, clip } from './activation-ops.js';
import type { OnnxValue } from './convert-context.js';
import { configBoolean, configNumber, configString } from './layer-config.js';
import type { LayerConverter } from './layer-converter.js';

function one(inputs: OnnxValue[], layer: { name: string }): OnnxValue {
  const [x] = inputs;
  if (x === undefined || inputs.length !== 1) throw new Error(`layer ${layer.name}: expected one input, got ${inputs.length}`);
  return x;
}

/** Dense on the last axis: MatMul + Add (MatMul broadcasts over any leading axes). */
const dense: LayerConverter = (layer, inputs, ctx) => {
  const x = ctx.as(one(inputs, layer), 'keras');
  const kernel = ctx.weight(layer, 'kernel');
  const units = kernel.shape[1] ?? 0;
  let name = ctx.node('MatMul', [x.name, ctx.floats(`${layer.name}_kernel`, kernel.shape, kernel.data)], `${layer.name}_matmul`);
  if (configBoolean(layer, 'use_bias', true)) {
    const bias = ctx.weight(layer, 'bias');
    name = ctx.node('Add', [name, ctx.floats(`${layer.name}_bias`, bias.shape, bias.data)], layer.name);
  }
  const value: OnnxValue = { name, shape: [...x.shape.slice(0, -1), units], layout: 'keras' };
  return applyActivation(ctx, value, configString(layer, 'activation', 'linear'), layer.name);
};

/** Inference batch norm on the channel axis with the moving statistics (channels-first: ONNX's axis 1). */
const batchNormalization: LayerConverter = (layer, inputs, ctx) => {
  const x0 = one(inputs, layer);
  const axis = configNumber(layer, 'axis', -1);
  if (axis !== -1 && axis !== x0.shape.length - 1) throw new Error(`layer ${layer.name} (BatchNormalization): axis ${axis} is not supported (the last axis only)`);
  const x = ctx.as(x0, 'channelsFirst');
  const mean = ctx.weight(layer, 'moving_mean');
  const channels = mean.shape[0] ?? 0;
  const filled = (value: number) => new Float32Array(channels).fill(value);
  const gamma = configBoolean(layer, 'scale', true) ? ctx.weight(layer, 'gamma').data : filled(1);
  const beta = configBoolean(layer, 'center', true) ? ctx.weight(layer, 'beta').data : filled(0);
  const variance = ctx.weight(layer, 'moving_variance');
  const name = ctx.node(
    'BatchNormalization',
    [
      x.name,
      ctx.floats(`${layer.name}_gamma`, [channels], gamma),
      ctx.floats(`${layer.name}_beta`, [channels], beta),
      ctx.floats(`${layer.name}_mean`, [channels], mean.data),
      ctx.floats(`${layer.name}_variance`, [channels], variance.data),
    ],
    layer.name,
    { epsilon: { float: configNumber(layer, 'epsilon', 1e-3) } },
  );
  return { ...x, name };
};

const activation: LayerConverter = (layer, inputs, ctx) => applyActivation(ctx, one(inputs, layer), configString(layer, 'activation'), layer.name);

const relu: LayerConverter = (layer, inputs, ctx) => {
  const x = one(inputs, layer);
  const max = layer.config['max_value'];
  if (max === null || max === undefined) return { ...x, name: ctx.node('Relu', [x.name], layer.name) };
  if (typeof max !== 'number') throw new Error(`layer ${layer.name} (ReLU): max_value should be a number or null`);
  return clip(ctx, x, 0, max, layer.name);
};

const leakyRelu: LayerConverter = (layer, inputs, ctx) => {
  const x = one(inputs, layer);
  return { ...x, name: ctx.node('LeakyRelu', [x.name], layer.name, { alpha: { float: configNumber(layer, 'alpha', 0.3) } }) };
};

const softmax: LayerConverter = (layer, inputs, ctx) => {
  const x = one(inputs, layer);
  const axis = configNumber(layer, 'axis', -1);
  if (axis !== -1 && axis !== x.shape.length - 1) throw new Error(`layer ${layer.name} (Softmax): axis ${axis} is not supported (the last axis only)`);
  return { ...x, name: ctx.node('Softmax', [x.name], layer.name, { axis: channelAxis(x) }) };
};

/** Dropout of any kind, MC-dropout included, is the identity at inference: no node at all. */
const identity: LayerConverter = (layer, inputs) => one(inputs, layer);

/** Add/Multiply/Average: every input in the first one's layout (shapes must match, as in Keras). */
function elementwise(kind: 'Add' | 'Multiply' | 'Average'): LayerConverter {
  return (layer, inputs, ctx) => {
    const [first] = inputs;
    if (first === undefined || inputs.length < 2) throw new Error(`layer ${layer.name} (${kind}): expected two or more inputs`);
    const names = inputs.map((x) => ctx.as(x, first.layout).name);
    let name = kind === 'Multiply' ? names.slice(1).reduce((acc, n, i) => ctx.node('Mul', [acc, n], `${layer.name}_mul${i + 1}`), names[0] ?? '') : ctx.node('Sum', names, layer.name);
    if (kind === 'Average') name = ctx.node('Mul', [name, ctx.floats(`${layer.name}_scale`, [], Float32Array.of(1 / inputs.length))], `${layer.name}_mean`);
    return { ...first, name };
  };
}

const concatenate: LayerConverter = (layer, inputs, ctx) => {
  const [first] = inputs;
  if (first === undefined) throw new Error(`layer ${layer.name} (Concatenate): no inputs`);
  const rank = first.shape.length;
  const configured = configNumber(layer, 'axis', -1);
  const axis = configured < 0 ? rank + configured : configured;
  if (axis < 1 || axis >= rank || inputs.some((x) => x.shape.length !== rank)) throw new Error(`layer ${layer.name} (Concatenate): axis ${configured} does not fit inputs of rank ${rank}`);
  const joined = inputs.map((x) => ctx.as(x, 'keras'));
  const size = joined.reduce<number | null>((sum, x) => (sum === null || x.shape[axis] == null ? null : sum + (x.shape[axis] ?? 0)), 0);
  const name = ctx.node('Concat', joined.map((x) => x.name), layer.name, { axis });
  return { name, shape: first.shape.map((d, i) => (i === axis ? size : d)), layout: 'keras' };
};

export const coreLayerConverters: Record<string, LayerConverter> = {
  Dense: dense,
  BatchNormalization: batchNormalization,
  Activation: activation,
  ReLU: relu,
  LeakyReLU: leakyRelu,
  Softmax: softmax,
  Dropout: identity,
  SpatialDropout1D: identity,
  GaussianDropout: identity,
  GaussianNoise: identity,
  VsslMcDropout: identity,
  Add: elementwise('Add'),
  Multiply: elementwise('Multiply'),
  Average: elementwise('Average'),
  Concatenate: concatenate,
};
