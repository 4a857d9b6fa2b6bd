import * as tf from '@tensorflow/tfjs';
import { wasmConv2DBackpropFilterConfig } from './wasm-conv2d-backprop-filter.js';
import { wasmDepthwiseBackpropFilterConfig, wasmDepthwiseBackpropInputConfig } from './wasm-depthwise-backprop.js';

/** Kernels training needs that the wasm backend does not ship, computed with forward ops it does have. */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  wasmConv2DBackpropFilterConfig,
  wasmDepthwiseBackpropInputConfig,
  wasmDepthwiseBackpropFilterConfig,
];

/** Registers the missing training kernels for wasm; idempotent, and never replaces a kernel wasm ships. */
export function registerWasmTrainingKernels(): string[] {
  const registered: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) continue;
    tf.registerKernel(config);
    registered.push(config.kernelName);
  }
  return registered;
}
