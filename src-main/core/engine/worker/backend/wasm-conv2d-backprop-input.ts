import * as tf from '@tensorflow/tfjs';
import { callWasmKernel } from './wasm-kernel-call.js';

type Shape4 = [number, number, number, number];

/**
 * The gradient of a conv2d's input on wasm as one forward convolution (XNNPACK), which is far
 * faster than the kernel wasm ships: dx is dy, dilated by the stride (zeros inserted), convolved
 * with the filter reversed in space and with its channel axes swapped. Falls back to `fallback`
 * for layouts this does not cover (NCHW, dilated filters, pads past the filter size).
 */
function backpropInputAsForwardConv(fallback: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as tf.KernelBackend;
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      inputShape: Shape4;
    };
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode);
    const { strideHeight, strideWidth, filterHeight, filterWidth, padInfo, inHeight, inWidth, outHeight, outWidth } = info;
    const top = filterHeight - 1 - padInfo.top;
    const left = filterWidth - 1 - padInfo.left;
    if (dataFormat !== 'NHWC' || info.dilationHeight !== 1 || info.dilationWidth !== 1 || top < 0 || left < 0) {
      return fallback({ inputs, backend: anyBackend, attrs });
    }
    const [batch, , , outChannels] = dy.shape as Shape4;
    const temporaries: tf.TensorInfo[] = [];
    try {
      const reversed = callWasmKernel(tf.Reverse, backend, { x: filter }, { dims: [0, 1] });
      temporaries.push(reversed);
      const swapped = callWasmKernel(tf.Transpose, backend, { x: reversed }, { perm: [0, 1, 3, 2] });
      temporaries.push(swapped);
      let source: tf.TensorInfo = dy;
      let height = outHeight;
      let width = outWidth;
      if (strideHeight > 1 || strideWidth > 1) {
        // Zero insertion as a pad of a rank-6 view: [n, Ho, 1, Wo, 1, c] → [n, Ho·sh, Wo·sw, c].
        const view = { dataId: dy.dataId, shape: [batch, outHeight, 1, outWidth, 1, outChannels], dtype: dy.dtype };
        const dilated = callWasmKernel(tf.PadV2, backend, { x: view }, {
          paddings: [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]],
          constantValue: 0,
        });
        temporaries.push(dilated);
        height = outHeight * strideHeight;
        width = outWidth * strideWidth;
        source = { dataId: dilated.dataId, shape: [batch, height, width, outChannels], dtype: dy.dtype };
      }
      const bottom = inHeight + filterHeight - 1 - top - height;
      const right = inWidth + filterWidth - 1 - left - width;
      if (bottom < 0 || right < 0) {
        const cropped = callWasmKernel(tf.Slice, backend, { x: source }, {
          begin: [0, 0, 0, 0],
          size: [batch, height + Math.min(bottom, 0), width + Math.min(right, 0), outChannels],
        });
        temporaries.push(cropped);
        source = cropped;
      }
      return callWasmKernel(tf.Conv2D, backend, { x: source, filter: swapped }, {
        strides: [1, 1],
        pad: [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: null,
      } as unknown as tf.NamedAttrMap);
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

/** A faster Conv2DBackpropInput for wasm, built around the kernel it replaces. */
export function fasterWasmConv2DBackpropInput(shipped: tf.KernelConfig): tf.KernelConfig {
  return { kernelName: tf.Conv2DBackpropInput, backendName: 'wasm', kernelFunc: backpropInputAsForwardConv(shipped.kernelFunc) };
}
