import * as tf from '@tensorflow/tfjs';

/** Runs a kernel of the webgpu backend directly (no tape, no engine bookkeeping), as its own kernels do. */
export function callWebGpuKernel(
  kernel: tf.KernelConfig | string,
  backend: tf.KernelBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const name = typeof kernel === 'string' ? kernel : kernel.kernelName;
  const config = typeof kernel === 'string' ? tf.getKernel(kernel, 'webgpu') : kernel;
  if (config === undefined) throw new Error(`the webgpu backend has no '${name}' kernel`);
  const result = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(result)) throw new Error(`webgpu kernel '${name}' returned several tensors, expected one`);
  return result;
}
