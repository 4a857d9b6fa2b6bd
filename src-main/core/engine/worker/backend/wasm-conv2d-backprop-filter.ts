import * as tf from '@tensorflow/tfjs';
import { callWasmKernel } from './wasm-kernel-call.js';

type Shape4 = [number, number, number, number];

/**
 * The gradient of a conv2d's filter on wasm, expressed as one forward convolution:
 * dW[kh,kw,ci,co] = Σ_{n,i,j} x[n, i·s + kh − padTop, j·s + kw − padLeft, ci] · dy[n,i,j,co]
 * is a stride-1 convolution, dilated by the stride, of x transposed to [Ci,H,W,N] with dy transposed
 * to [Ho,Wo,N,Co] as its filter; the result [Ci,kh,kw,Co] is transposed to the filter layout.
 */
export function wasmConv2dFilterGradient(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: Shape4,
  strides: [number, number] | number,
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
): tf.TensorInfo {
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode);
  const { strideHeight, strideWidth, filterHeight, filterWidth, outHeight, outWidth, padInfo } = info;
  const [batch, inHeight, inWidth, inChannels] = x.shape as Shape4;
  // The rows/columns the strided windows reach, counted from the unpadded top/left edge.
  const reachHeight = filterHeight + (outHeight - 1) * strideHeight - padInfo.top;
  const reachWidth = filterWidth + (outWidth - 1) * strideWidth - padInfo.left;
  const temporaries: tf.TensorInfo[] = [];
  try {
    let input = x;
    if (reachHeight < inHeight || reachWidth < inWidth) {
      // 'valid' with a stride that does not divide evenly: the last rows/columns are never read.
      input = callWasmKernel(tf.Slice, backend, { x }, {
        begin: [0, 0, 0, 0],
        size: [batch, Math.min(inHeight, reachHeight), Math.min(inWidth, reachWidth), inChannels],
      });
      temporaries.push(input);
    }
    const [, height, width] = input.shape as Shape4;
    const xT = callWasmKernel(tf.Transpose, backend, { x: input }, { perm: [3, 1, 2, 0] });
    temporaries.push(xT);
    const dyT = callWasmKernel(tf.Transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] });
    temporaries.push(dyT);
    const explicitPad: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [padInfo.top, reachHeight - height],
      [padInfo.left, reachWidth - width],
      [0, 0],
    ];
    const grad = callWasmKernel(tf.Conv2D, backend, { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad: explicitPad,
      dataFormat: 'NHWC',
      dilations: [strideHeight, strideWidth],
      dimRoundingMode: null,
    } as unknown as tf.NamedAttrMap);
    temporaries.push(grad);
    return callWasmKernel(tf.Transpose, backend, { x: grad }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** Conv2DBackpropFilter for the wasm backend, which does not ship it. */
export const wasmConv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropFilter supports NHWC only, got ${dataFormat}`);
    // The kernel registry types the backend as {}; this config is registered for wasm only.
    return wasmConv2dFilterGradient(backend as tf.KernelBackend, x, dy, filterShape, strides, pad, dimRoundingMode);
  },
};
