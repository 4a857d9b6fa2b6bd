import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { selectBackend } from '../backend/select-backend.js';
import { FastBatchNorm } from './fast-batch-norm.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] ?? NaN);
}

it('matches tf.layers.batchNormalization in training mode: output, gradients and moving statistics', () => {
  const x = tf.randomNormal([6, 5, 4, 3], 2, 3, 'float32', 1);
  const weights = [tf.tensor1d([1.5, 0.5, -1]), tf.tensor1d([0.1, -0.2, 0.3]), tf.tensor1d([0.5, 0, 1]), tf.tensor1d([2, 1, 3])];
  const fast = new FastBatchNorm({ momentum: 0.9, epsilon: 1e-3, name: 'fast_bn' });
  const stock = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3, name: 'stock_bn' });
  fast.build(x.shape);
  stock.build(x.shape);
  fast.setWeights(weights);
  stock.setWeights(weights);
  const upstream = tf.randomNormal(x.shape, 0, 1, 'float32', 2);
  const input = tf.variable(x, true, 'bn_test_input');
  const gradsOf = (layer: tf.layers.Layer): tf.Tensor[] => {
    const variables = [input, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, upstream)), variables);
    value.dispose();
    return variables.map((v) => grads[v.name] as tf.Tensor);
  };
  const fastGrads = gradsOf(fast);
  const stockGrads = gradsOf(stock);
  fastGrads.forEach((g, i) => expect(maxAbsDiff(g, stockGrads[i] as tf.Tensor), `gradient ${i}`).toBeLessThan(1e-4));
  const fastStats = fast.getWeights();
  const stockStats = stock.getWeights();
  fastStats.forEach((w, i) => expect(maxAbsDiff(w, stockStats[i] as tf.Tensor), `weight ${i}`).toBeLessThan(1e-5));
  const inferFast = fast.apply(x) as tf.Tensor;
  const inferStock = stock.apply(x) as tf.Tensor;
  expect(maxAbsDiff(inferFast, inferStock)).toBeLessThan(1e-5);
  tf.dispose([...fastGrads, ...stockGrads, inferFast, inferStock]);
  expect(fastGrads).toHaveLength(3);
  tf.dispose([x, input, upstream, ...weights]);
  tf.dispose([...fast.weights, ...stock.weights].map((w) => w.read()));
});
