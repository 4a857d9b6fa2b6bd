import * as tf from '@tensorflow/tfjs';
import { cpuResizeNearestGradConfig } from './cpu-resize-nearest-grad.js';

let replaced = false;

/** Replaces the cpu kernels tfjs-backend-cpu ships wrong (see each kernel's file). Idempotent; returns what it replaced. */
export function registerCpuKernels(): string[] {
  if (replaced) return [];
  const fixes = [cpuResizeNearestGradConfig];
  for (const config of fixes) {
    if (tf.getKernel(config.kernelName, 'cpu') !== undefined) tf.unregisterKernel(config.kernelName, 'cpu');
    tf.registerKernel(config);
  }
  replaced = true;
  return fixes.map((config) => config.kernelName);
}
