import * as tf from '@tensorflow/tfjs';
import { cpuResizeNearestGradConfig } from './cpu-resize-nearest-grad.js';
import { cpuTransformConfig } from './cpu-transform.js';

let replaced = false;

/**
 * Replaces the cpu kernels tfjs-backend-cpu ships wrong on the shapes training uses (see each kernel's file):
 * ResizeNearestNeighborGrad (the anomaly decoder's upsampling) and Transform (the strong augmentation's warps,
 * which wraps the shipped kernel). Idempotent; returns what it replaced.
 */
export function registerCpuKernels(): string[] {
  if (replaced) return [];
  const transform = tf.getKernel(tf.Transform, 'cpu');
  if (transform === undefined) throw new Error('the cpu backend has no Transform kernel to fix');
  const fixes = [cpuResizeNearestGradConfig, cpuTransformConfig(transform)];
  for (const config of fixes) {
    if (tf.getKernel(config.kernelName, 'cpu') !== undefined) tf.unregisterKernel(config.kernelName, 'cpu');
    tf.registerKernel(config);
  }
  replaced = true;
  return fixes.map((config) => config.kernelName);
}
