/**
 * tfjs-backend-webgpu's Reverse pads its input's shape to rank 4 and breaks on rank 5 ("Size(…) must match
 * the product of shape …"): `tf.reverse` of clips [N, T, S, S, 3] along time (the pretraining stage's
 * backwards clips, and the gradient of any reverse) fails. Above rank 4 this reverses one axis at a time,
 * each as the middle axis of a rank-3 view [before, axis, after], which the shipped kernel handles.
 */
import * as tf from '@tensorflow/tfjs';
import { callWebGpuKernel } from './webgpu-kernel-call.js';

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function webGpuReverseConfig(shipped: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Reverse,
    backendName: 'webgpu',
    kernelFunc: (args) => {
      const { inputs, backend: anyBackend, attrs } = args;
      const backend = anyBackend as tf.KernelBackend; // registered for webgpu only
      const { x } = inputs as { x: tf.TensorInfo };
      const shape = x.shape;
      if (shape.length <= 4) return shipped.kernelFunc(args);
      const { dims } = attrs as unknown as tf.ReverseAttrs;
      const axes = tf.util.parseAxisParam(dims, shape).filter((axis) => (shape[axis] ?? 1) > 1);
      let current = callWebGpuKernel(tf.Reshape, backend, { x }, { shape: [...shape] });
      for (const axis of axes) {
        const view = [product(shape.slice(0, axis)), shape[axis] ?? 1, product(shape.slice(axis + 1))];
        const flat = callWebGpuKernel(tf.Reshape, backend, { x: current }, { shape: view });
        backend.disposeData(current.dataId);
        const reversed = callWebGpuKernel(shipped, backend, { x: flat }, { dims: [1] });
        backend.disposeData(flat.dataId);
        current = callWebGpuKernel(tf.Reshape, backend, { x: reversed }, { shape: [...shape] });
        backend.disposeData(reversed.dataId);
      }
      return current;
    },
  };
}
