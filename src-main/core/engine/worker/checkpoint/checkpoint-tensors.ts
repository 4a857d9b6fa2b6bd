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

function shapesOf(weights: readonly tf.LayerVariable[]): number[][] {
  return weights.map((w) => w.shape.map((d) => d ?? -1));
}

/** Copies of every weight of `model`, in its order. */
export function modelTensors(model: tf.LayersModel): Promise<CheckpointTensor[]> {
  return Promise.all(model.weights.map((w) => toCheckpointTensor(w.originalName, w.read())));
}

/** The optimizer's state (its iteration count, then its slots), as copies. */
export async function optimizerTensors(optimizer: tf.Optimizer): Promise<CheckpointTensor[]> {
  const named = await optimizer.getWeights();
  try {
    return await Promise.all(named.map((w) => toCheckpointTensor(w.name, w.tensor)));
  } finally {
    // getWeights makes a fresh scalar for the iteration count; the rest are the optimizer's own variables.
    named[0]?.tensor.dispose();
  }
}

/** Puts checkpointed weights into `model` after checking that they fit it. */
export function restoreModelTensors(model: tf.LayersModel, saved: readonly CheckpointTensor[], what = 'model'): void {
  checkCheckpointShapes(what, saved, shapesOf(model.weights));
  const weights = saved.map(fromCheckpointTensor);
  model.setWeights(weights);
  tf.dispose(weights);
}

/**
 * Puts a checkpointed optimizer state back after checking it fits `model`: the iteration count, then
 * `slots` tensors per trainable weight (momentum: 1; Adam: its first moments, then its second).
 */
export async function restoreOptimizerTensors(optimizer: tf.Optimizer, saved: readonly CheckpointTensor[], model: tf.LayersModel, slots: number): Promise<void> {
  if (saved.length === 0) return;
  const trainable = shapesOf(model.trainableWeights);
  checkCheckpointShapes('optimizer', saved.slice(1), Array.from({ length: slots }, () => trainable).flat());
  const named = saved.map((t) => ({ name: t.name, tensor: fromCheckpointTensor(t) }));
  try {
    await optimizer.setWeights(named);
  } finally {
    tf.dispose(named.map((n) => n.tensor));
  }
}
