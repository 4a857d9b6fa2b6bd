/**
 * The building blocks of the factorised (2+1)D networks (the classifier and the anomaly encoder):
 * only conv2d, batch norm on rank 4 and reshapes, which are fast on the wasm backend.
 */
import * as tf from '@tensorflow/tfjs';
import { FastBatchNorm } from './fast-batch-norm.js';
import { FoldTime, UnfoldTime } from './time-fold-layers.js';

/** PyTorch's default batch-norm momentum (0.1 there = keep 0.9 here): short runs need stats that follow. */
const BN_MOMENTUM = 0.9;
const BN_EPSILON = 1e-3;

/** Seeds each initialiser from the build seed so a seeded build starts from the same weights. */
export class InitSeeds {
  private next: number;
  constructor(seed: number | undefined) {
    this.next = seed ?? Math.floor(Math.random() * 2 ** 30);
  }
  heNormal(): ReturnType<typeof tf.initializers.heNormal> {
    return tf.initializers.heNormal({ seed: this.next++ });
  }
  glorotUniform(): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.glorotUniform({ seed: this.next++ });
  }
}

export function applyLayer(layer: tf.layers.Layer, x: tf.SymbolicTensor): tf.SymbolicTensor {
  return layer.apply(x) as tf.SymbolicTensor;
}

export function batchNormRelu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  const normed = applyLayer(new FastBatchNorm({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON, name: `${name}_bn` }), x);
  return applyLayer(tf.layers.reLU({ name: `${name}_relu` }), normed);
}

/**
 * A convolution whose input is data (the network's first layer) that runs as a plain conv2d. tfjs-layers
 * runs every conv as a fused op whose custom gradient always computes the input's gradient as well; for the
 * first layer nothing uses it, and on wasm it was ~7% of an anomaly training step. Plain conv2d's gradient
 * is computed only towards what needs it. The layer, its weights and its saved form stay the stock Conv2D's.
 */
function convOnData(conv: tf.layers.Layer): tf.layers.Layer {
  const config = conv.getConfig();
  const strides = config['strides'] as [number, number];
  const padding = config['padding'] as 'same' | 'valid';
  if (config['useBias'] !== false || config['activation'] !== 'linear' || config['dataFormat'] !== 'channelsLast') {
    throw new Error(`${conv.name}: only a conv without bias or activation, channels last, runs as a plain conv2d`);
  }
  const stock = conv.call.bind(conv);
  conv.call = (inputs, kwargs) => {
    const kernel = (conv as unknown as { kernel?: tf.LayerVariable | null }).kernel ?? null;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kernel === null || x === undefined || x.rank !== 4) return stock(inputs, kwargs);
    return tf.conv2d(x as tf.Tensor4D, kernel.read() as tf.Tensor4D, strides, padding);
  };
  return conv;
}

/**
 * Frames [N·T, H, W, c_in] → [N·T, ⌈H/2⌉, ⌈W/2⌉, c]: conv 3×3 stride 2 'same' (no bias) + BN + ReLU.
 * `onData`: the block is the network's first, its input data (no gradient is wanted for it).
 */
export function spatialBlock(x: tf.SymbolicTensor, channels: number, name: string, seeds: InitSeeds, onData = false): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({
    filters: channels,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    useBias: false,
    kernelInitializer: seeds.heNormal(),
    name: `${name}_conv`,
  });
  return batchNormRelu(applyLayer(onData ? convOnData(conv) : conv, x), name);
}

/**
 * Frames [N·T, s, s, c] → same shape, mixing time: unfold to [N, T, s·s, c] and convolve with a 3×1
 * kernel (3 frames, one pixel) 'same', + BN + ReLU, then fold back.
 */
export function temporalBlock(
  x: tf.SymbolicTensor,
  frames: number,
  side: number,
  channels: number,
  name: string,
  seeds: InitSeeds,
): tf.SymbolicTensor {
  const clips = applyLayer(new UnfoldTime({ frames, name: `${name}_unfold` }), x);
  const timeByPixel = applyLayer(
    tf.layers.reshape({ targetShape: [frames, side * side, channels], name: `${name}_to_time_pixels` }),
    clips,
  );
  const conv = tf.layers.conv2d({
    filters: channels,
    kernelSize: [3, 1],
    strides: 1,
    padding: 'same',
    useBias: false,
    kernelInitializer: seeds.heNormal(),
    name: `${name}_conv`,
  });
  const activated = batchNormRelu(applyLayer(conv, timeByPixel), name);
  const back = applyLayer(tf.layers.reshape({ targetShape: [frames, side, side, channels], name: `${name}_to_frames` }), activated);
  return applyLayer(new FoldTime({ name: `${name}_fold` }), back);
}
