import * as tf from '@tensorflow/tfjs';

/** The tensors' values one after another in one array (what crosses to another thread). */
export function flattenTensors(tensors: readonly tf.Tensor[]): Float32Array {
  const total = tensors.reduce((sum, t) => sum + t.size, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const t of tensors) {
    out.set(t.dataSync(), offset);
    offset += t.size;
  }
  return out;
}

/** The inverse of flattenTensors for the given shapes; the caller disposes the tensors. */
export function unflattenTensors(values: Float32Array, shapes: readonly number[][]): tf.Tensor[] {
  const total = shapes.reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
  if (values.length !== total) throw new Error(`${values.length} values for tensors of ${total} values in all`);
  let offset = 0;
  return shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(values.subarray(offset, offset + size), shape, 'float32');
    offset += size;
    return t;
  });
}

/** Shapes of the model's trainable weights, in order. */
export function trainableShapes(model: tf.LayersModel): number[][] {
  return model.trainableWeights.map((w) => w.shape.map((d) => d ?? 0));
}

/** Writes `values` (flattened like flattenTensors) into the model's trainable weights. */
export function setTrainableWeights(model: tf.LayersModel, values: Float32Array): void {
  const tensors = unflattenTensors(values, trainableShapes(model));
  try {
    model.trainableWeights.forEach((w, i) => w.write(tensors[i] as tf.Tensor));
  } finally {
    tf.dispose(tensors);
  }
}
