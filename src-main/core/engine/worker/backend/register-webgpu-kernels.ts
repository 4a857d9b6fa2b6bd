import * as tf from '@tensorflow/tfjs';
import { webGpuReverseConfig } from './webgpu-reverse.js';

let registered = false;

/**
 * Replaces the webgpu kernels that give wrong results or fail on the shapes training uses (webgpu-reverse.ts).
 * Call after the webgpu backend's module is loaded; idempotent.
 */
export function registerWebGpuKernelFixes(): void {
  if (registered) return;
  const reverse = tf.getKernel(tf.Reverse, 'webgpu');
  if (reverse === undefined) throw new Error('the webgpu backend has no Reverse kernel to fix');
  tf.unregisterKernel(tf.Reverse, 'webgpu');
  tf.registerKernel(webGpuReverseConfig(reverse));
  registered = true;
}
