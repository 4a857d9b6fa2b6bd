/**
 * The shared SSMTL encoder, factorised (2+1)D like the classifier: every convolution and batch norm runs
 * on rank-4 tensors (conv3d is about 8× slower on wasm). Frames [N, 6, S, S, C] → a code map
 * [N, s, s, K] (s = S / 2^depth, K = width·2^(depth−1)) in which the 6 frames' features at each place sit
 * side by side in their order, so the heads can read direction and pace of motion.
 */
import * as tf from '@tensorflow/tfjs';
import {
  applyLayer as apply,
  batchNormRelu,
  spatialBlock,
  temporalBlock,
  type InitSeeds,
} from '../../../engine/worker/layers/factorised-blocks.js';
import { FoldTime, UnfoldTime } from '../../../engine/worker/layers/time-fold-layers.js';
import { ANOMALY_INPUT_FRAMES, blockChannels, codeSide, type AnomalyModelSpec } from './anomaly-model-spec.js';

/** Name of the encoder's last layer: its output is what every head reads. */
export const ENCODER_OUTPUT = 'code_relu';

/** Puts each place's 6 per-frame feature vectors side by side and mixes them with a 1×1 conv: [N, s, s, K]. */
function timeMerge(x: tf.SymbolicTensor, spec: AnomalyModelSpec, seeds: InitSeeds): tf.SymbolicTensor {
  const frames = ANOMALY_INPUT_FRAMES;
  const side = codeSide(spec);
  const channels = blockChannels(spec, spec.depth - 1);
  const clips = apply(new UnfoldTime({ frames, name: 'unfold_frames' }), x);
  const placeFirst = apply(tf.layers.permute({ dims: [2, 3, 1, 4], name: 'places_first' }), clips);
  const stacked = apply(tf.layers.reshape({ targetShape: [side, side, frames * channels], name: 'stack_frames' }), placeFirst);
  const conv = tf.layers.conv2d({ filters: channels, kernelSize: 1, useBias: false, kernelInitializer: seeds.heNormal(), name: 'code_conv' });
  return batchNormRelu(apply(conv, stacked), 'code');
}

/** Input [N, 6, S, S, C] → the code map every head reads. */
export function buildEncoder(input: tf.SymbolicTensor, spec: AnomalyModelSpec, seeds: InitSeeds): tf.SymbolicTensor {
  let x = apply(new FoldTime({ name: 'fold_frames' }), input);
  let side = spec.size;
  for (let i = 0; i < spec.depth; i++) {
    const channels = blockChannels(spec, i);
    side /= 2;
    x = spatialBlock(x, channels, `block${i + 1}_spatial`, seeds, i === 0);
    x = temporalBlock(x, ANOMALY_INPUT_FRAMES, side, channels, `block${i + 1}_temporal`, seeds);
  }
  return timeMerge(x, spec, seeds);
}
