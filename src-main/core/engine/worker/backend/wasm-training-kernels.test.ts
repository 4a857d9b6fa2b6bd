import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register-wasm-training-kernels.js';
import { wasmBinaryDir } from './wasm-paths.js';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
}

/** Deterministic values so cpu and wasm see identical inputs. */
function seededValues(count: number, seed: number): Float32Array {
  const values = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 32 - 0.5;
  }
  return values;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

async function onBackend<T>(backend: string, run: () => T): Promise<T> {
  await tf.setBackend(backend);
  return run();
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return max;
}

const CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: 'same' },
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: 'valid' },
  { x: [2, 8, 8, 2], filter: [3, 3, 2, 5], strides: [2, 2], pad: 'same' },
  { x: [2, 9, 9, 2], filter: [3, 3, 2, 5], strides: [2, 2], pad: 'same' },
  { x: [2, 8, 8, 2], filter: [3, 3, 2, 5], strides: [2, 2], pad: 'valid' },
  { x: [3, 9, 10, 4], filter: [3, 3, 4, 2], strides: [2, 2], pad: 'valid' },
  { x: [1, 12, 10, 3], filter: [5, 3, 3, 6], strides: [2, 1], pad: 'same' },
  { x: [2, 6, 6, 1], filter: [1, 1, 1, 8], strides: [2, 2], pad: 'valid' },
  { x: [2, 11, 11, 8], filter: [2, 2, 8, 8], strides: [2, 2], pad: 'same' },
  { x: [1, 28, 28, 1], filter: [3, 3, 1, 8], strides: [2, 2], pad: 'same' },
  // the networks' own strided blocks: 3×3, stride 2, 'same', more channels out than in
  { x: [3, 16, 16, 32], filter: [3, 3, 32, 64], strides: [2, 2], pad: 'same' },
  { x: [2, 7, 8, 3], filter: [3, 3, 3, 2], strides: [1, 2], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
];

function describeCase(c: ConvCase): string {
  const pad = typeof c.pad === 'string' ? c.pad : JSON.stringify(c.pad);
  return `x ${c.x.join('x')}, filter ${c.filter.join('x')}, strides ${c.strides.join(',')}, pad ${pad}`;
}

function dyShape(c: ConvCase): [number, number, number, number] {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape;
}

beforeAll(async () => {
  setWasmPaths(wasmBinaryDir());
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

describe('wasm training kernels', () => {
  it('fills in exactly the conv-backprop kernels the wasm backend lacks', () => {
    const wasmKernels = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    for (const name of [tf.Conv2D, tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput]) expect(wasmKernels.has(name)).toBe(true);
    expect(WASM_TRAINING_KERNELS.map((k) => k.kernelName)).toEqual([
      tf.Conv2DBackpropFilter,
      tf.DepthwiseConv2dNativeBackpropInput,
      tf.DepthwiseConv2dNativeBackpropFilter,
    ]);
    for (const k of WASM_TRAINING_KERNELS) expect(wasmKernels.has(k.kernelName)).toBe(true);
    expect(registerWasmTrainingKernels()).toEqual([]);
  });

  it.each(CASES)('Conv2DBackpropFilter matches cpu: %s', async (c) => {
    const xValues = seededValues(sizeOf(c.x), 1);
    const dyValues = seededValues(sizeOf(dyShape(c)), 2);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: null, filterShape: c.filter };
    const run = () =>
      tf.tidy(() => {
        const inputs = { x: tf.tensor4d(xValues, c.x), dy: tf.tensor4d(dyValues, dyShape(c)) };
        return tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropFilter, inputs, attrs as unknown as tf.NamedAttrMap).dataSync();
      });
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(maxAbsDiff(actual, expected), describeCase(c)).toBeLessThan(1e-4);
  });

  // Shipped by wasm and replaced by ours (a forward convolution): must match cpu exactly the same.
  it.each(CASES)('Conv2DBackpropInput matches cpu: %s', async (c) => {
    const filterValues = seededValues(sizeOf(c.filter), 3);
    const dyValues = seededValues(sizeOf(dyShape(c)), 4);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: null, inputShape: c.x };
    const run = () =>
      tf.tidy(() => {
        const inputs = { dy: tf.tensor4d(dyValues, dyShape(c)), filter: tf.tensor4d(filterValues, c.filter) };
        return tf.engine().runKernel<tf.Tensor>(tf.Conv2DBackpropInput, inputs, attrs as unknown as tf.NamedAttrMap).dataSync();
      });
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(maxAbsDiff(actual, expected), describeCase(c)).toBeLessThan(1e-4);
  });

  // Depthwise filter [kh,kw,C,M] from the dense case's shape: same C, multiplier 2.
  const DEPTHWISE_CASES = CASES.filter((c) => typeof c.pad === 'string' || c.strides[0] === c.strides[1]).map(
    (c): ConvCase => ({ ...c, filter: [c.filter[0], c.filter[1], c.x[3], 2] }),
  );
  function depthwiseDyShape(c: ConvCase): [number, number, number, number] {
    return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad, undefined, true).outShape;
  }

  it.each(DEPTHWISE_CASES)('DepthwiseConv2dNativeBackpropInput matches cpu: %s', async (c) => {
    const filterValues = seededValues(sizeOf(c.filter), 7);
    const dyValues = seededValues(sizeOf(depthwiseDyShape(c)), 8);
    const attrs = { strides: c.strides, dilations: 1, pad: c.pad, dimRoundingMode: null, inputShape: c.x };
    const run = () =>
      tf.tidy(() => {
        const inputs = { dy: tf.tensor4d(dyValues, depthwiseDyShape(c)), filter: tf.tensor4d(filterValues, c.filter) };
        const kernel = tf.DepthwiseConv2dNativeBackpropInput;
        return tf.engine().runKernel<tf.Tensor>(kernel, inputs, attrs as unknown as tf.NamedAttrMap).dataSync();
      });
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(maxAbsDiff(actual, expected), describeCase(c)).toBeLessThan(1e-4);
  });

  it.each(DEPTHWISE_CASES)('DepthwiseConv2dNativeBackpropFilter matches cpu: %s', async (c) => {
    const xValues = seededValues(sizeOf(c.x), 9);
    const dyValues = seededValues(sizeOf(depthwiseDyShape(c)), 10);
    const attrs = { strides: c.strides, dilations: 1, pad: c.pad, dimRoundingMode: null, filterShape: c.filter };
    const run = () =>
      tf.tidy(() => {
        const inputs = { x: tf.tensor4d(xValues, c.x), dy: tf.tensor4d(dyValues, depthwiseDyShape(c)) };
        const kernel = tf.DepthwiseConv2dNativeBackpropFilter;
        return tf.engine().runKernel<tf.Tensor>(kernel, inputs, attrs as unknown as tf.NamedAttrMap).dataSync();
      });
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(maxAbsDiff(actual, expected), describeCase(c)).toBeLessThan(1e-4);
  });

  it('gathers whole rows as cpu does: frames of tubes, any rank, ints and bools, indices of rank 2, other axes through wasm’s kernel', async () => {
    const cases: { x: number[]; dtype: 'float32' | 'int32' | 'bool'; indices: number[][] | number[]; axis: number }[] = [
      { x: [12, 4, 4, 3], dtype: 'float32', indices: [11, 0, 3, 3, 7], axis: 0 },
      { x: [9], dtype: 'float32', indices: [8, 1], axis: 0 },
      { x: [6, 5], dtype: 'int32', indices: [[5, 0], [2, 2]], axis: 0 },
      { x: [4, 3], dtype: 'bool', indices: [3, 1, 0], axis: -2 },
      { x: [4, 6, 2], dtype: 'float32', indices: [5, 0], axis: 1 },
      { x: [4, 3], dtype: 'float32', indices: [], axis: 0 },
    ];
    for (const c of cases) {
      const values = seededValues(sizeOf(c.x), 3).map((v) => (c.dtype === 'float32' ? v : c.dtype === 'int32' ? Math.round(v * 100) : v > 0 ? 1 : 0));
      const run = () =>
        tf.tidy(() => {
          const picked = tf.gather(tf.tensor(values, c.x, c.dtype), tf.tensor(c.indices, undefined, 'int32'), c.axis);
          return { shape: picked.shape, values: Array.from(picked.dataSync()) };
        });
      const expected = await onBackend('cpu', run);
      const actual = await onBackend('wasm', run);
      expect(actual, JSON.stringify(c)).toEqual(expected);
    }
    await tf.setBackend('wasm');
    expect(() => tf.tidy(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([0, 3], 'int32')))).toThrow(/the index value 3 is not in \[0, 2\]/);
  });

  it('leaves no tensor or wasm buffer behind after a conv gradient', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(seededValues(2 * 9 * 9 * 3, 5), [2, 9, 9, 3]);
    const { filter, depthwise } = tf.tidy(() => ({
      filter: tf.variable(tf.tensor4d(seededValues(3 * 3 * 3 * 4, 6), [3, 3, 3, 4])),
      depthwise: tf.variable(tf.tensor4d(seededValues(3 * 3 * 4 * 2, 7), [3, 3, 4, 2])),
    }));
    const loss = () =>
      tf.depthwiseConv2d(tf.conv2d(x, filter, 2, 'same'), depthwise, 1, 'same').square().mean<tf.Scalar>();
    tf.dispose(tf.variableGrads(loss).grads); // warm up: first calls may allocate lasting state
    const before = tf.memory();
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(loss);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, filter, depthwise]);
  });
});
