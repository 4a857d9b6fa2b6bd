import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';
import { wasmBinaryDir } from './wasm-paths.js';

function seededValues(count: number, seed: number): Float32Array {
  const values = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = (state / 2 ** 32 - 0.5) * 0.5;
  }
  return values;
}

/** A tiny two-conv classifier: stride-2 'same' conv, stride-1 'valid' conv, global average pool, dense. */
function gradientsOfOneStep(): Record<string, Float32Array> {
  const x = tf.tensor4d(seededValues(4 * 12 * 12 * 1, 11), [4, 12, 12, 1]);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3));
  // tidy disposes the initial values; the variables (kept by tidy) hold their own reference.
  const weights = tf.tidy(() => ({
    conv1: tf.variable(tf.tensor4d(seededValues(3 * 3 * 1 * 6, 12), [3, 3, 1, 6]), true, 'conv1'),
    conv2: tf.variable(tf.tensor4d(seededValues(3 * 3 * 6 * 8, 13), [3, 3, 6, 8]), true, 'conv2'),
    dense: tf.variable(tf.tensor2d(seededValues(8 * 3, 14), [8, 3]), true, 'dense'),
  }));
  const loss = () => {
    const h1 = tf.relu(tf.conv2d(x, weights.conv1, 2, 'same'));
    const h2 = tf.relu(tf.conv2d(h1, weights.conv2, 1, 'valid'));
    const logits = tf.matMul(tf.mean(h2, [1, 2]), weights.dense);
    return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(labels, logits);
  };
  const { value, grads } = tf.variableGrads(loss);
  const out: Record<string, Float32Array> = {};
  for (const [name, grad] of Object.entries(grads)) out[name] = grad.dataSync() as Float32Array;
  tf.dispose([x, labels, value, ...Object.values(grads), ...Object.values(weights)]);
  return out;
}

beforeAll(async () => {
  setWasmPaths(wasmBinaryDir());
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

it('a conv net training step on wasm gives the cpu gradients and leaks nothing', async () => {
  await tf.setBackend('cpu');
  const expected = gradientsOfOneStep();
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const actual = gradientsOfOneStep();
  expect(tf.memory().numTensors).toBe(before);
  expect(Object.keys(actual).sort()).toEqual(['conv1', 'conv2', 'dense']);
  for (const [name, grad] of Object.entries(expected)) {
    const got = actual[name];
    expect(got?.length, name).toBe(grad.length);
    let max = 0;
    let norm = 0;
    for (let i = 0; i < grad.length; i++) {
      max = Math.max(max, Math.abs((got?.[i] ?? NaN) - (grad[i] ?? 0)));
      norm = Math.max(norm, Math.abs(grad[i] ?? 0));
    }
    expect(norm, `${name} gradient is not trivially zero`).toBeGreaterThan(1e-6);
    expect(max, name).toBeLessThan(1e-4);
  }
});
