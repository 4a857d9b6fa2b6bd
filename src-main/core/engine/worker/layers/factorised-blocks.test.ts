import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { selectBackend } from '../backend/select-backend.js';
import { InitSeeds, spatialBlock } from './factorised-blocks.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

function firstBlock(onData: boolean): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  return tf.model({ inputs: input, outputs: spatialBlock(input, 8, 'block1_spatial', new InitSeeds(4), onData) });
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] ?? NaN);
}

it('a first block on data gives the stock block’s output and weight gradients, without computing a gradient for the data', async () => {
  const before = tf.memory().numTensors;
  const x = tf.randomUniform([5, 16, 16, 3], 0, 1, 'float32', 1);
  const upstream = tf.randomNormal([5, 8, 8, 8], 0, 1, 'float32', 2);
  const results = [];
  for (const onData of [false, true]) {
    const model = firstBlock(onData);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    let grads: tf.NamedTensorMap = {};
    const profile = await tf.profile(() => {
      const computed = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, upstream)), variables);
      computed.value.dispose();
      grads = computed.grads;
    });
    const output = model.predict(x) as tf.Tensor;
    results.push({ model, output, grads: variables.map((v) => grads[v.name]!), kernels: profile.kernels.map((k) => k.name) });
  }
  const [stock, onData] = results as [(typeof results)[0], (typeof results)[0]];
  expect(maxAbsDiff(onData.output, stock.output)).toBeLessThan(1e-5);
  onData.grads.forEach((g, i) => expect(maxAbsDiff(g, stock.grads[i]!), `gradient ${i}`).toBeLessThan(1e-4));
  expect(stock.kernels).toContain('Conv2DBackpropInput');
  expect(onData.kernels).not.toContain('Conv2DBackpropInput');
  expect(onData.kernels).toContain('Conv2DBackpropFilter');
  // Saved as the stock layer: the same class and config.
  expect(onData.model.getLayer('block1_spatial_conv').getClassName()).toBe('Conv2D');
  expect(onData.model.getLayer('block1_spatial_conv').getConfig()).toEqual(stock.model.getLayer('block1_spatial_conv').getConfig());
  for (const r of results) {
    tf.dispose([r.output, ...r.grads]);
    r.model.dispose();
  }
  tf.dispose([x, upstream]);
  expect(tf.memory().numTensors).toBe(before);
});
