import * as tf from '@tensorflow/tfjs';
import { fasterWasmConv2DBackpropInput } from './wasm-conv2d-backprop-input.js';
import { wasmConv2DBackpropFilterConfig } from './wasm-conv2d-backprop-filter.js';
import { wasmDepthwiseBackpropFilterConfig, wasmDepthwiseBackpropInputConfig } from './wasm-depthwise-backprop.js';
import { fasterWasmGatherV2 } from './wasm-gather-rows.js';

/** Kernels training needs that the wasm backend does not ship, computed with forward ops it does have. */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  wasmConv2DBackpropFilterConfig,
  wasmDepthwiseBackpropInputConfig,
  wasmDepthwiseBackpropFilterConfig,
];

let replacedShipped = false;

/**
 * Registers the missing training kernels for wasm (never replacing one wasm ships), and swaps
 * wasm's slow Conv2DBackpropInput for one built on its fast forward convolution (a training step
 * of the default network: about 17% less time) and its GatherV2 for one that copies whole rows.
 * Idempotent; returns the kernels it added.
 */
export function registerWasmTrainingKernels(): string[] {
  const registered: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) continue;
    tf.registerKernel(config);
    registered.push(config.kernelName);
  }
  const backpropInput = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  const gather = tf.getKernel(tf.GatherV2, 'wasm');
  if (!replacedShipped && backpropInput !== undefined && gather !== undefined) {
    tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
    tf.registerKernel(fasterWasmConv2DBackpropInput(backpropInput));
    tf.unregisterKernel(tf.GatherV2, 'wasm');
    tf.registerKernel(fasterWasmGatherV2(gather));
    replacedShipped = true;
  }
  return registered;
}
