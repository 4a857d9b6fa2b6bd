/**
 * tfjs-backend-webgpu's Bincount always adds float32 values but gives its output the weights' dtype: with
 * int32 (or empty int32) weights, each count comes back as the bits of a float (1 reads as 1065353216).
 * Histogram equalisation in the strong augmentation counts that way. Here the shipped kernel counts with
 * float32 weights and the counts are cast to the dtype asked for.
 */
import * as tf from '@tensorflow/tfjs';
import { callWebGpuKernel } from './webgpu-kernel-call.js';

export function webGpuBincountConfig(shipped: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Bincount,
    backendName: 'webgpu',
    kernelFunc: (args) => {
      const { inputs, backend: anyBackend, attrs } = args;
      const backend = anyBackend as tf.KernelBackend; // registered for webgpu only
      const { x, weights } = inputs as { x: tf.TensorInfo; weights: tf.TensorInfo };
      if (weights.dtype === 'float32') return shipped.kernelFunc(args);
      const floatWeights = callWebGpuKernel(tf.Cast, backend, { x: weights }, { dtype: 'float32' });
      try {
        const counts = callWebGpuKernel(shipped, backend, { x, weights: floatWeights }, attrs ?? {});
        try {
          return callWebGpuKernel(tf.Cast, backend, { x: counts }, { dtype: weights.dtype });
        } finally {
          backend.disposeData(counts.dataId);
        }
      } finally {
        backend.disposeData(floatWeights.dataId);
      }
    },
  };
}
