/**
 * The digit teacher's network: a small 2D CNN, strided convolutions + batch norm, global average
 * pooling, no pooling layers (the wasm backend has our conv backprop kernels but no pooling
 * gradients). The benchmark's canvas wraps at its edges, so about half the frames show a split
 * digit; circular padding (Cropping2D + Concatenate before each conv) handled that but made a
 * training step ~4× slower on wasm, so it is left out.
 */
import * as tf from '@tensorflow/tfjs';

const DIGITS = 10;

/**
 * conv 3×3 → batch norm → relu. `BatchNorm` is the app's FastBatchNorm (saved as a plain
 * BatchNormalization), or tf.layers.batchNormalization's class when none is given.
 */
function block(x, filters, strides, BatchNorm) {
  const conv = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal' });
  const normed = new BatchNorm({ momentum: 0.9 }).apply(conv.apply(x));
  return tf.layers.activation({ activation: 'relu' }).apply(normed);
}

/** Input [N, size, size, 3] floats 0..1 → softmax over the ten digits. */
export function buildTeacherModel(size, BatchNorm) {
  if (size % 8 !== 0) throw new Error(`teacher: --size must be a multiple of 8 (three stride-2 steps), not ${size}`);
  const input = tf.input({ shape: [size, size, 3], name: 'frame' });
  let x = input;
  for (const [filters, strides] of [[16, 1], [32, 2], [32, 1], [64, 2], [64, 1], [96, 2]]) x = block(x, filters, strides, BatchNorm);
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x);
  const output = tf.layers.dense({ units: DIGITS, activation: 'softmax', name: 'digit' }).apply(pooled);
  return tf.model({ inputs: input, outputs: output, name: 'digit_teacher' });
}
