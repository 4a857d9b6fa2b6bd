/** Tensors to and from the checkpoint layout, and the shape check a restore makes first (classifier and anomaly runs). */
import * as tf from '@tensorflow/tfjs';
import type { CheckpointTensor } from './tensor-checkpoint.js';

/** A copy of `tensor`'s values: the tensor goes on training. */
export async function toCheckpointTensor(name: string, tensor: tf.Tensor): Promise<CheckpointTensor> {
  const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
  const data = dtype === 'int32' ? Int32Array.from(await tensor.data()) : Float32Array.from(await tensor.data());
  return { name, dtype, shape: [...tensor.shape], data };
}

export function fromCheckpointTensor(t: CheckpointTensor): tf.Tensor {
  return tf.tensor(t.data, t.shape, t.dtype);
}

/** Throws, saying which tensor, when a checkpoint's tensors do not fit the model being restored. */
export function checkCheckpointShapes(what: string, saved: readonly CheckpointTensor[], expected: readonly (readonly number[])[]): void {
  if (saved.length !== expected.length) {
    throw new Error(`The checkpoint holds ${saved.length} ${what} tensors but this model has ${expected.length}; it was made for other settings.`);
  }
  saved.forEach((t, i) => {
    const shape = expected[i] ?? [];
    if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
      throw new Error(`The checkpoint's ${what} tensor ${t.name} has shape [${t.shape.join(', ')}], this model [${shape.join(', ')}].`);
    }
  });
}
