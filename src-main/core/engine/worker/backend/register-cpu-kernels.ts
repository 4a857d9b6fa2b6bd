import * as tf from '@tensorflow/tfjs';
import { cpuTransformConfig } from './cpu-transform.js';

let registered = false;

/** Replaces the cpu kernels that give wrong results on the shapes training uses (cpu-transform.ts). Idempotent. */
export function registerCpuKernelFixes(): void {
  if (registered) return;
  const transform = tf.getKernel(tf.Transform, 'cpu');
  if (transform === undefined) throw new Error('the cpu backend has no Transform kernel to fix');
  tf.unregisterKernel(tf.Transform, 'cpu');
  tf.registerKernel(cpuTransformConfig(transform));
  registered = true;
}
