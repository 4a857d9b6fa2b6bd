import * as tf from '@tensorflow/tfjs';

/** Runs another kernel of the wasm backend directly (no tape, no engine bookkeeping), as its own kernels do. */
export function callWasmKernel(
  kernelName: string,
  backend: tf.KernelBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel === undefined) throw new Error(`the wasm backend has no '${kernelName}' kernel`);
  const result = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(result)) throw new Error(`wasm kernel '${kernelName}' returned several tensors, expected one`);
  return result;
}
