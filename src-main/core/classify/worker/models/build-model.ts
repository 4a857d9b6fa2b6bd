/**
 * The two video classifiers. Both take clips [N, T, S, S, 3] (float 0..1) and return logits [N, C].
 * Only conv2d, batch norm on rank 4, reshapes and pooling: no conv3d, no timeDistributed, no rank-5 batch
 * norm, which are slow or missing on the wasm backend.
 */
import * as tf from '@tensorflow/tfjs';
import { InitSeeds, spatialBlock, temporalBlock } from '../../../engine/worker/layers/factorised-blocks.js';
import { hasExtraHeads, LOGITS_LAYER, withExtraHeads } from './extra-heads.js';
import { McDropout } from '../../../engine/worker/layers/mc-dropout.js';
import { assertValidModelSpec, sideAfterBlocks, type ModelSpec } from './model-spec.js';
import { FoldTime, UnfoldTime } from '../../../engine/worker/layers/time-fold-layers.js';

function channelsOf(spec: ModelSpec, block: number): number {
  return spec.width * 2 ** block;
}

/** Dropout and the class logits, then any training-only heads (extra-heads.ts) joined after them. */
function classifierHead(features: tf.SymbolicTensor, spec: ModelSpec, seeds: InitSeeds): tf.SymbolicTensor {
  const dropped = new McDropout({ rate: spec.dropout, name: 'dropout' }).apply(features) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: spec.classes, kernelInitializer: seeds.glorotUniform(), name: LOGITS_LAYER }).apply(dropped) as tf.SymbolicTensor;
  return hasExtraHeads(spec.heads) ? withExtraHeads(logits, features, spec.heads, () => seeds.glorotUniform()) : logits;
}

function buildR2plus1d(spec: ModelSpec, seeds: InitSeeds): tf.LayersModel {
  const input = tf.input({ shape: [spec.frames, spec.size, spec.size, 3], name: 'clips' });
  let x = new FoldTime({ name: 'fold_frames' }).apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < spec.depth; i++) {
    const channels = channelsOf(spec, i);
    x = spatialBlock(x, channels, `block${i + 1}_spatial`, seeds, i === 0);
    x = temporalBlock(x, spec.frames, sideAfterBlocks(spec.size, i + 1), channels, `block${i + 1}_temporal`, seeds);
  }
  const perFrame = tf.layers.globalAveragePooling2d({ name: 'pool_space' }).apply(x) as tf.SymbolicTensor;
  const perClip = new UnfoldTime({ frames: spec.frames, name: 'unfold_frames' }).apply(perFrame) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling1d({ name: 'pool_time' }).apply(perClip) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: classifierHead(pooled, spec, seeds), name: 'r2plus1d' });
}

function buildFrame2d(spec: ModelSpec, seeds: InitSeeds): tf.LayersModel {
  const input = tf.input({ shape: [spec.frames, spec.size, spec.size, 3], name: 'clips' });
  let x = new FoldTime({ name: 'fold_frames' }).apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < spec.depth; i++) x = spatialBlock(x, channelsOf(spec, i), `block${i + 1}_spatial`, seeds, i === 0);
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
