/**
 * Each layer class the ONNX export converts, in a tiny TF.js model saved as the app saves models:
 * onnxruntime's output must match model.predict to 1e-4, and Python onnx's checker must accept the graph.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../worker/backend/select-backend.js';
import { FoldTime, UnfoldTime } from '../worker/layers/time-fold-layers.js';
import { McDropout } from '../worker/layers/mc-dropout.js';
import { FastBatchNorm } from '../worker/layers/fast-batch-norm.js';
import { convertKerasModel } from './convert-keras-model.js';
import { parseKerasModel } from './keras-model-files.js';
import { OnnxGraph } from './onnx-graph.js';
import { layerOutputOnnx, maxAbsDiff, pythonCheck, pythonCheckOrSkip, pythonOnnxMissing, removeTempDirs, runOnnx, savedKerasModel, writeTemp } from './onnx-parity.fixture.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});
afterAll(removeTempDirs);

type Build = (x: tf.SymbolicTensor) => tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor => layer.apply(x) as tf.SymbolicTensor;

/** Random weights everywhere (batch-norm variances positive) so no layer is trivially an identity. */
function randomiseWeights(model: tf.LayersModel): void {
  let seed = 11;
  const weights = model.weights.map((w) => {
    const positive = w.name.includes('moving_variance');
    return tf.randomUniform(w.shape as number[], positive ? 0.5 : -1, positive ? 2 : 1, 'float32', seed++);
  });
  model.setWeights(weights);
  tf.dispose(weights);
}

async function expectParity(shape: number[], build: Build, batch = 3): Promise<void> {
  const input = tf.input({ shape, name: 'x' });
  const output = build(input);
  const model = tf.model({ inputs: input, outputs: output });
  randomiseWeights(model);
  const keras = await savedKerasModel(model);
  const bytes = layerOutputOnnx(keras, output.sourceLayer.name);
  const x = tf.randomUniform([batch, ...shape], 0, 1, 'float32', 5);
  const expected = model.predict(x) as tf.Tensor;
  const got = await runOnnx(bytes, { x });
  expect(got['y']?.dims).toEqual(expected.shape);
  expect(maxAbsDiff(got['y']?.data ?? [], expected.dataSync())).toBeLessThan(1e-4);
  expect(pythonCheckOrSkip(bytes, 'layer.onnx')).toBe('');
  const before = tf.memory().numTensors;
  tf.dispose([x, expected]);
  expect(tf.memory().numTensors).toBe(before - 2);
  model.dispose();
}

describe('per-layer ONNX conversion matches TF.js', () => {
  it('Conv2D: same and valid padding, strides 1 and 2, odd and even sides, bias and activation', async () => {
    for (const side of [7, 8]) {
      for (const padding of ['same', 'valid'] as const) {
        for (const strides of [1, 2]) {
          await expectParity([side, side, 3], (x) => apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides, padding, activation: 'relu' }), x));
        }
      }
    }
    await expectParity([6, 9, 2], (x) => apply(tf.layers.conv2d({ filters: 3, kernelSize: [3, 1], padding: 'same', useBias: false }), x));
    await expectParity([9, 9, 2], (x) => apply(tf.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'sigmoid' }), x));
  });

  it('Conv1D with same and valid padding', async () => {
    await expectParity([7, 3], (x) => apply(tf.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }), x));
    await expectParity([8, 3], (x) => apply(tf.layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, padding: 'valid', activation: 'tanh' }), x));
  });

  it('BatchNormalization (the app saves its FastBatchNorm as one) and ReLU after a convolution', async () => {
    await expectParity([6, 6, 3], (x) => {
      const conv = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }), x);
      return apply(tf.layers.reLU(), apply(new FastBatchNorm({ epsilon: 1e-3 }), conv));
    });
    await expectParity([5], (x) => apply(tf.layers.batchNormalization({ epsilon: 1e-2, center: false }), x));
  });

  it('Dense with and without bias, activations, softmax, leaky ReLU and capped ReLU', async () => {
    await expectParity([5], (x) => apply(tf.layers.dense({ units: 3, activation: 'softmax' }), x));
    await expectParity([5], (x) => apply(tf.layers.dense({ units: 4, useBias: false, activation: 'elu' }), x));
    await expectParity([4, 5], (x) => apply(tf.layers.dense({ units: 2 }), x));
    await expectParity([5], (x) => apply(tf.layers.leakyReLU({ alpha: 0.2 }), apply(tf.layers.dense({ units: 4 }), x)));
    await expectParity([5], (x) => apply(tf.layers.reLU({ maxValue: 0.5 }), apply(tf.layers.dense({ units: 4 }), x)));
    await expectParity([5], (x) => apply(tf.layers.activation({ activation: 'selu' }), apply(tf.layers.dense({ units: 4 }), x)));
  });

  it('global and windowed pooling in 1D and 2D', async () => {
    await expectParity([6, 6, 3], (x) => apply(tf.layers.globalAveragePooling2d({}), x));
    await expectParity([6, 6, 3], (x) => apply(tf.layers.globalMaxPooling2d({}), x));
    await expectParity([5, 3], (x) => apply(tf.layers.globalAveragePooling1d(), x));
    await expectParity([7, 7, 2], (x) => apply(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }), x));
    await expectParity([7, 7, 2], (x) => apply(tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), x));
    await expectParity([8, 2], (x) => apply(tf.layers.averagePooling1d({ poolSize: 2, padding: 'valid' }), x));
    await expectParity([6, 6, 3], (x) => apply(tf.layers.globalAveragePooling2d({}), apply(tf.layers.conv2d({ filters: 2, kernelSize: 3 }), x)));
  });

  it('Reshape, Flatten, Permute, UpSampling2D and the time folding layers', async () => {
    await expectParity([4, 6, 2], (x) => apply(tf.layers.reshape({ targetShape: [-1, 2] }), x));
    await expectParity([4, 3, 2], (x) => apply(tf.layers.flatten(), apply(tf.layers.conv2d({ filters: 2, kernelSize: 1 }), x)));
    await expectParity([2, 3, 4, 5], (x) => apply(tf.layers.permute({ dims: [2, 3, 1, 4] }), x));
    await expectParity([3, 3, 2], (x) => apply(tf.layers.upSampling2d({ size: [2, 2] }), apply(tf.layers.conv2d({ filters: 2, kernelSize: 1 }), x)));
    await expectParity([3, 4, 4, 2], (x) => {
      const frames = apply(new FoldTime({}), x);
      const conv = apply(tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), frames);
      return apply(new UnfoldTime({ frames: 3 }), conv);
    });
  });

  it('Add, Multiply, Average and Concatenate, dropout left out', async () => {
    await expectParity([4, 4, 2], (x) => {
      const a = apply(tf.layers.conv2d({ filters: 3, kernelSize: 1 }), x);
      const b = apply(tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }), x);
      return apply(tf.layers.add(), [a, b]);
    });
    await expectParity([6], (x) => {
      const a = apply(tf.layers.dense({ units: 3 }), x);
      const b = apply(tf.layers.dense({ units: 3 }), x);
      const joined = apply(tf.layers.concatenate({ axis: -1 }), [apply(tf.layers.multiply(), [a, b]), apply(tf.layers.average(), [a, b])]);
      return apply(new McDropout({ rate: 0.5 }), apply(tf.layers.dropout({ rate: 0.3 }), joined));
    });
  });
});

describe('Python onnx checker', () => {
  const missing = pythonOnnxMissing();
  it.skipIf(missing !== null)(`rejects a graph with an op outside the standard opset, so its passes above mean something${missing === null ? '' : ` (skipped: ${missing})`}`, () => {
    const graph = new OnnxGraph();
    const x = graph.addInput('x', ['batch', 3]);
    graph.addOutput(graph.addNode('VsslFoldTime', [x], 'folded'), 'y', ['batch', 3]);
    const file = writeTemp('custom-op.onnx', graph.encode({ graphName: 'bad', producerVersion: 'test', docString: '', metadata: {} }));
    expect(pythonCheck(file)).toMatch(/VsslFoldTime/);
  });
});

describe('conversion errors', () => {
  it('names a layer class it does not know', async () => {
    const input = tf.input({ shape: [4, 3], name: 'x' });
    const output = apply(tf.layers.lstm({ units: 2, name: 'memory' }), input);
    const model = tf.model({ inputs: input, outputs: output });
    const keras = await savedKerasModel(model);
    expect(() => convertKerasModel(keras, ['memory'])).toThrow(/layer memory: the ONNX export does not know the layer class LSTM \(it converts .*Conv2D/);
    model.dispose();
  });

  it('says what is wrong with a file that is not a layers model', () => {
    expect(() => parseKerasModel('{"format": "graph-model"}', new Uint8Array(0))).toThrow(/not a TF.js layers model/);
    expect(() => parseKerasModel('not json', new Uint8Array(0))).toThrow(/not valid JSON/);
  });
});
