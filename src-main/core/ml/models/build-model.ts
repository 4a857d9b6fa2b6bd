/**
 * The two video classifiers. Both take clips [N, T, S, S, 3] (float 0..1) and return logits [N, C].
 * Only conv2d, batch norm on rank 4, reshapes and pooling: no conv3d, no timeDistributed, no rank-5 batch
 * norm, which are slow or missing on the wasm backend.
 */
import * as tf from '@tensorflow/tfjs';
import { FastBatchNorm } from './fast-batch-norm.js';
import { McDropout } from './mc-dropout.js';
import { assertValidModelSpec, sideAfterBlocks, type ModelSpec } from './model-spec.js';
import { FoldTime, UnfoldTime } from './time-fold-layers.js';

/** PyTorch's default batch-norm momentum (0.1 there = keep 0.9 here): short runs need stats that follow. */
const BN_MOMENTUM = 0.9;
const BN_EPSILON = 1e-3;

/** Seeds each initialiser from the build seed so a seeded run starts from the same weights. */
class InitSeeds {
  private next: number;
  constructor(seed: number | undefined) {
    this.next = seed ?? Math.floor(Math.random() * 2 ** 30);
  }
  heNormal(): ReturnType<typeof tf.initializers.heNormal> {
    return tf.initializers.heNormal({ seed: this.next++ });
  }
  glorotUniform(): ReturnType<typeof tf.initializers.heNormal> {
    return tf.initializers.glorotUniform({ seed: this.next++ });
  }
}

function channelsOf(spec: ModelSpec, block: number): number {
  return spec.width * 2 ** block;
}

function batchNormRelu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  const normed = new FastBatchNorm({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON, name: `${name}_bn` }).apply(x) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu` }).apply(normed) as tf.SymbolicTensor;
}

/** Frames [N·T, H, W, c_in] → [N·T, ⌈H/2⌉, ⌈W/2⌉, c]: conv 3×3 stride 2 'same' (no bias) + BN + ReLU. */
function spatialBlock(x: tf.SymbolicTensor, channels: number, name: string, seeds: InitSeeds): tf.SymbolicTensor {
  const conv = tf.layers
    .conv2d({
      filters: channels,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: seeds.heNormal(),
      name: `${name}_conv`,
    })
    .apply(x) as tf.SymbolicTensor;
  return batchNormRelu(conv, name);
}

/**
 * Frames [N·T, H, W, c] → same shape, mixing time: unfold to [N, T, H·W, c] and convolve with a 3×1
 * kernel (3 frames, one pixel) 'same', + BN + ReLU, then fold back.
 */
function temporalBlock(
  x: tf.SymbolicTensor,
  spec: ModelSpec,
  side: number,
  channels: number,
  name: string,
  seeds: InitSeeds,
): tf.SymbolicTensor {
  const clips = new UnfoldTime({ frames: spec.frames, name: `${name}_unfold` }).apply(x) as tf.SymbolicTensor;
  const timeByPixel = tf.layers
    .reshape({ targetShape: [spec.frames, side * side, channels], name: `${name}_to_time_pixels` })
    .apply(clips) as tf.SymbolicTensor;
  const conv = tf.layers
    .conv2d({
      filters: channels,
      kernelSize: [3, 1],
      strides: 1,
      padding: 'same',
      useBias: false,
      kernelInitializer: seeds.heNormal(),
      name: `${name}_conv`,
    })
    .apply(timeByPixel) as tf.SymbolicTensor;
  const activated = batchNormRelu(conv, name);
  const back = tf.layers
    .reshape({ targetShape: [spec.frames, side, side, channels], name: `${name}_to_frames` })
    .apply(activated) as tf.SymbolicTensor;
  return new FoldTime({ name: `${name}_fold` }).apply(back) as tf.SymbolicTensor;
}

function classifierHead(features: tf.SymbolicTensor, spec: ModelSpec, seeds: InitSeeds): tf.SymbolicTensor {
  const dropped = new McDropout({ rate: spec.dropout, name: 'dropout' }).apply(features) as tf.SymbolicTensor;
  return tf.layers.dense({ units: spec.classes, kernelInitializer: seeds.glorotUniform(), name: 'logits' }).apply(dropped) as tf.SymbolicTensor;
}

function buildR2plus1d(spec: ModelSpec, seeds: InitSeeds): tf.LayersModel {
  const input = tf.input({ shape: [spec.frames, spec.size, spec.size, 3], name: 'clips' });
  let x = new FoldTime({ name: 'fold_frames' }).apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < spec.depth; i++) {
    const channels = channelsOf(spec, i);
    x = spatialBlock(x, channels, `block${i + 1}_spatial`, seeds);
    x = temporalBlock(x, spec, sideAfterBlocks(spec.size, i + 1), channels, `block${i + 1}_temporal`, seeds);
  }
  const perFrame = tf.layers.globalAveragePooling2d({ name: 'pool_space' }).apply(x) as tf.SymbolicTensor;
  const perClip = new UnfoldTime({ frames: spec.frames, name: 'unfold_frames' }).apply(perFrame) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling1d({ name: 'pool_time' }).apply(perClip) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: classifierHead(pooled, spec, seeds), name: 'r2plus1d' });
}

function buildFrame2d(spec: ModelSpec, seeds: InitSeeds): tf.LayersModel {
  const input = tf.input({ shape: [spec.frames, spec.size, spec.size, 3], name: 'clips' });
  let x = new FoldTime({ name: 'fold_frames' }).apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < spec.depth; i++) x = spatialBlock(x, channelsOf(spec, i), `block${i + 1}_spatial`, seeds);
  const perFrame = tf.layers.globalAveragePooling2d({ name: 'pool_space' }).apply(x) as tf.SymbolicTensor;
  const perClip = new UnfoldTime({ frames: spec.frames, name: 'unfold_frames' }).apply(perFrame) as tf.SymbolicTensor;
  const channels = channelsOf(spec, spec.depth - 1);
  const temporal = tf.layers
    .conv1d({ filters: channels, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: seeds.heNormal(), name: 'temporal_conv' })
    .apply(perClip) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling1d({ name: 'pool_time' }).apply(temporal) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: classifierHead(pooled, spec, seeds), name: 'frame2d' });
}

/** Builds a fresh model; with `seed` its initial weights are the same every time. */
export function buildModel(spec: ModelSpec, options: { seed?: number } = {}): tf.LayersModel {
  assertValidModelSpec(spec);
  const seeds = new InitSeeds(options.seed);
  return spec.architecture === 'r2plus1d' ? buildR2plus1d(spec, seeds) : buildFrame2d(spec, seeds);
}

/** The spec a model was built for, read back from its input/output shapes (for loaded models). */
export function inputShapeOf(model: tf.LayersModel): { frames: number; size: number; classes: number } {
  const input = model.inputs[0]?.shape;
  const output = model.outputs[0]?.shape;
  const frames = input?.[1];
  const size = input?.[2];
  const classes = output?.[1];
  if (typeof frames !== 'number' || typeof size !== 'number' || typeof classes !== 'number' || input?.length !== 5) {
    throw new Error(`model ${model.name} does not take clips [N, T, S, S, 3] and return [N, C]`);
  }
  return { frames, size, classes };
}
