import * as tf from '@tensorflow/tfjs';
import { wasmConv2dFilterGradient } from './wasm-conv2d-backprop-filter.js';
import { callWasmKernel } from './wasm-kernel-call.js';

type Shape4 = [number, number, number, number];

/*
 * A depthwise conv with filter [kh,kw,C,M] equals a dense conv2d whose filter [kh,kw,C,C·M] is block
 * diagonal: full[.,.,c,c'·M+m] = f[.,.,c',m]·[c = c']. Its backprop kernels (missing on wasm) are the
 * dense ones on that filter — C times the work, fine for the few channels a depthwise layer has here.
 */

function assertNoDilation(kernel: string, dilations: [number, number] | number): void {
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dh !== 1 || dw !== 1) throw new Error(`wasm ${kernel} supports dilation 1 only, got ${dh},${dw}`);
}

/** [1,1,C,C,1] identity mask selecting the diagonal blocks. */
function blockMask(backend: tf.KernelBackend, channels: number): tf.TensorInfo {
  const values = new Float32Array(channels * channels);
  for (let c = 0; c < channels; c++) values[c * channels + c] = 1;
  const shape = [1, 1, channels, channels, 1];
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

export const wasmDepthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as tf.KernelBackend; // registered for wasm only
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, dilations, pad, dimRoundingMode, inputShape } =
      attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    assertNoDilation(tf.DepthwiseConv2dNativeBackpropInput, dilations);
    const [kh, kw, channels, multiplier] = filter.shape as Shape4;
    const temporaries: tf.TensorInfo[] = [];
    try {
      const mask = blockMask(backend, channels);
      temporaries.push(mask);
      const spread = callWasmKernel(tf.Reshape, backend, { x: filter }, { shape: [kh, kw, 1, channels, multiplier] });
      temporaries.push(spread);
      const masked = callWasmKernel(tf.Multiply, backend, { a: spread, b: mask }, {});
      temporaries.push(masked);
      const full = callWasmKernel(tf.Reshape, backend, { x: masked }, { shape: [kh, kw, channels, channels * multiplier] });
      temporaries.push(full);
      return callWasmKernel(tf.Conv2DBackpropInput, backend, { dy, filter: full }, {
        strides,
        pad,
        dataFormat: 'NHWC',
        dimRoundingMode,
        inputShape,
      } as unknown as tf.NamedAttrMap);
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  },
};

export const wasmDepthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as tf.KernelBackend; // registered for wasm only
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, dilations, pad, dimRoundingMode, filterShape } =
      attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    assertNoDilation(tf.DepthwiseConv2dNativeBackpropFilter, dilations);
    const [kh, kw, channels, multiplier] = filterShape;
    const temporaries: tf.TensorInfo[] = [];
    try {
      const full = wasmConv2dFilterGradient(backend, x, dy, [kh, kw, channels, channels * multiplier], strides, pad, dimRoundingMode);
      temporaries.push(full);
      const blocks = callWasmKernel(tf.Reshape, backend, { x: full }, { shape: [kh, kw, channels, channels, multiplier] });
      temporaries.push(blocks);
      const mask = blockMask(backend, channels);
      temporaries.push(mask);
      const diagonal = callWasmKernel(tf.Multiply, backend, { a: blocks, b: mask }, {});
      temporaries.push(diagonal);
      return callWasmKernel(tf.Sum, backend, { x: diagonal }, { axis: 3, keepDims: false });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  },
};
