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
    if (strideHeight > 1 || strideWidth > 1) {
      const phased = subPixelBackpropInput(backend, dy, filter, info);
      if (phased !== null) return phased;
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

/**
 * dx of a strided conv as s_h·s_w stride-1 convolutions, one per output phase (sub-pixel): the rows n ≡ r
 * (mod s) of dx take only the taps k ≡ r + pad (mod s), so each phase convolves dy, unpadded by zeros, with
 * that slice of the filter (reversed, channel axes swapped), and the phases are interleaved. The zero-inserted
 * form multiplies s_h·s_w times as many zeros as values (4× the work at stride 2). Null where a phase would
 * need dy cropped or has no tap (the caller then takes the zero-inserted path).
 */
function subPixelBackpropInput(backend: tf.KernelBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | null {
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo, inHeight, inWidth, outHeight, outWidth } = info;
  const [batch, , , inChannels] = info.inShape;
  const outChannels = info.outChannels;
  const rowsPerPhase = Math.ceil(inHeight / sh);
  const colsPerPhase = Math.ceil(inWidth / sw);
  /** One axis of phase r: first tap, tap count, and the zero padding of dy before and after. */
  const axis = (r: number, stride: number, taps: number, pad: number, dyLength: number, perPhase: number) => {
    const first = (r + pad) % stride;
    const count = Math.ceil((taps - first) / stride);
    const before = count - 1 - (r + pad - first) / stride;
    return { first, count, before, after: perPhase - dyLength - before + count - 1 };
  };
  const plans = [];
  for (let rh = 0; rh < sh; rh++) {
    for (let rw = 0; rw < sw; rw++) {
      const h = axis(rh, sh, kh, padInfo.top, outHeight, rowsPerPhase);
      const w = axis(rw, sw, kw, padInfo.left, outWidth, colsPerPhase);
      if (h.count < 1 || w.count < 1 || Math.min(h.before, h.after, w.before, w.after) < 0) return null;
      plans.push({ rh, rw, h, w });
    }
  }
  const temporaries: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo): tf.TensorInfo => {
    temporaries.push(t);
    return t;
  };
  try {
    const phases = plans.map(({ h, w }) => {
      const taps = keep(callWasmKernel(tf.StridedSlice, backend, { x: filter }, {
        begin: [h.first, w.first, 0, 0], end: [kh, kw, inChannels, outChannels], strides: [sh, sw, 1, 1],
        beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
      }));
      const reversed = keep(callWasmKernel(tf.Reverse, backend, { x: taps }, { dims: [0, 1] }));
      const swapped = keep(callWasmKernel(tf.Transpose, backend, { x: reversed }, { perm: [0, 1, 3, 2] }));
      const phase = keep(callWasmKernel(tf.Conv2D, backend, { x: dy, filter: swapped }, {
        strides: [1, 1],
        pad: [[0, 0], [h.before, h.after], [w.before, w.after], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: null,
      } as unknown as tf.NamedAttrMap));
      // As [n, row, 1, col, 1, c]: phases are joined along the two unit axes.
      return { dataId: phase.dataId, shape: [batch, rowsPerPhase, 1, colsPerPhase, 1, inChannels], dtype: phase.dtype };
    });
    // Concat takes its inputs as a list.
    const concat = (parts: tf.TensorInfo[], axis: number): tf.TensorInfo =>
      parts.length === 1 ? parts[0]! : keep(callWasmKernel(tf.Concat, backend, parts as unknown as tf.NamedTensorInfoMap, { axis }));
    const rows = Array.from({ length: sh }, (_, rh) => concat(phases.slice(rh * sw, (rh + 1) * sw), 4));
    const joined = concat(rows, 2);
    const full = { dataId: joined.dataId, shape: [batch, rowsPerPhase * sh, colsPerPhase * sw, inChannels], dtype: joined.dtype };
    // Every phase has as many rows as the first; the last ones past dx's edge are cut off.
    return callWasmKernel(tf.Slice, backend, { x: full }, { begin: [0, 0, 0, 0], size: [batch, inHeight, inWidth, inChannels] });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** A faster Conv2DBackpropInput for wasm, built around the kernel it replaces. */
export function fasterWasmConv2DBackpropInput(shipped: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'wasm',
    ...(shipped.setupFunc ? { setupFunc: shipped.setupFunc } : {}),
    kernelFunc: backpropInputAsForwardConv(shipped.kernelFunc),
  };
}
