import * as tf from '@tensorflow/tfjs';
import { webGpuBincountConfig } from './webgpu-bincount.js';
import { webGpuReverseConfig } from './webgpu-reverse.js';

const FIXES: readonly [string, (shipped: tf.KernelConfig) => tf.KernelConfig][] = [
  [tf.Reverse, webGpuReverseConfig],
  [tf.Bincount, webGpuBincountConfig],
];

let registered = false;

/**
 * Replaces the webgpu kernels that give wrong results or fail on the shapes training uses (webgpu-reverse.ts,
 * webgpu-bincount.ts), each wrapping the shipped one. Call after the webgpu backend's module is loaded; idempotent.
 */
export function registerWebGpuKernelFixes(): void {
  if (registered) return;
  for (const [name, fixed] of FIXES) {
    const shipped = tf.getKernel(name, 'webgpu');
    if (shipped === undefined) throw new Error(`the webgpu backend has no ${name} kernel to fix`);
    tf.unregisterKernel(name, 'webgpu');
    tf.registerKernel(fixed(shipped));
  }
  registered = true;
}
