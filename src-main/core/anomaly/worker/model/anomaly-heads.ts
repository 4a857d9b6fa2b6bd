/**
 * The SSMTL heads on the shared code map. Each head is a plain chain of layers whose names start with
 * its prefix and whose last layer is the model output of the same name; training runs the chains on
 * the rows of the batch that belong to each task (see anomaly-forward.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { applyLayer as apply, type InitSeeds } from '../../../engine/worker/layers/factorised-blocks.js';
import { ANOMALY_OUTPUTS, blockChannels, type AnomalyModelSpec } from './anomaly-model-spec.js';

export type HeadName = keyof typeof ANOMALY_OUTPUTS;

/** The name prefix of every layer of a head. */
export const HEAD_PREFIX: Record<HeadName, string> = {
  arrow: 'arrow_',
  irregular: 'irregular_',
  middle: 'middle_',
  teacher: 'teacher_',
};

/** A 2-way classifier (arrow of time, motion irregularity): conv 3×3 + ReLU, global mean, 2 logits. */
export function classHead(code: tf.SymbolicTensor, head: 'arrow' | 'irregular', spec: AnomalyModelSpec, seeds: InitSeeds): tf.SymbolicTensor {
  const prefix = HEAD_PREFIX[head];
  const conv = tf.layers.conv2d({
    filters: blockChannels(spec, spec.depth - 1),
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    kernelInitializer: seeds.heNormal(),
    name: `${prefix}conv`,
  });
  const pooled = apply(tf.layers.globalAveragePooling2d({ name: `${prefix}pool` }), apply(conv, code));
  return apply(tf.layers.dense({ units: 2, kernelInitializer: seeds.glorotUniform(), name: ANOMALY_OUTPUTS[head] }), pooled);
}

/**
 * Middle-frame decoder: per level a conv 3×3 + ReLU at the current side, then nearest-neighbour ×2
 * (convolving before upsampling costs a quarter); a last conv 3×3 with sigmoid gives [N, S, S, C] in 0..1.
 */
export function middleFrameHead(code: tf.SymbolicTensor, spec: AnomalyModelSpec, seeds: InitSeeds): tf.SymbolicTensor {
  const prefix = HEAD_PREFIX.middle;
  let x = code;
  for (let level = spec.depth - 1; level >= 0; level--) {
    const conv = tf.layers.conv2d({
      filters: blockChannels(spec, level),
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: seeds.heNormal(),
      name: `${prefix}conv${level + 1}`,
    });
    x = apply(tf.layers.upSampling2d({ size: [2, 2], name: `${prefix}up${level + 1}` }), apply(conv, x));
  }
  const out = tf.layers.conv2d({
    filters: spec.channels,
    kernelSize: 3,
    padding: 'same',
    activation: 'sigmoid',
    kernelInitializer: seeds.glorotUniform(),
    name: ANOMALY_OUTPUTS.middle,
  });
  return apply(out, x);
}

/** Distillation: global mean of the code, a hidden ReLU layer, then a linear vector of the teacher's size. */
export function teacherHead(code: tf.SymbolicTensor, spec: AnomalyModelSpec, seeds: InitSeeds): tf.SymbolicTensor {
  const prefix = HEAD_PREFIX.teacher;
  const pooled = apply(tf.layers.globalAveragePooling2d({ name: `${prefix}pool` }), code);
  const hidden = tf.layers.dense({
    units: 2 * blockChannels(spec, spec.depth - 1),
    activation: 'relu',
    kernelInitializer: seeds.heNormal(),
    name: `${prefix}hidden`,
  });
  const out = tf.layers.dense({ units: spec.teacherDim, kernelInitializer: seeds.glorotUniform(), name: ANOMALY_OUTPUTS.teacher });
  return apply(out, apply(hidden, pooled));
}
