/**
 * For the webgpu suite: one anomaly model's weights as plain arrays, so that the same model can be built
 * on each backend (a tensor made on one backend cannot be read on another here).
 */
import * as tf from '@tensorflow/tfjs';
import { buildAnomalyModel } from './anomaly-model.js';
import type { AnomalyModelSpec } from './anomaly-model-spec.js';

/** The weights `buildAnomalyModel(spec, { seed })` starts with, in the model's order. */
export async function initialWeights(spec: AnomalyModelSpec, seed: number): Promise<Float32Array[]> {
  const model = buildAnomalyModel(spec, { seed });
  try {
    return await Promise.all(model.weights.map(async (w) => Float32Array.from(await w.read().data())));
  } finally {
    model.dispose();
  }
}

/** A model of `spec` on the active backend holding exactly `weights`. */
export function modelWithWeights(spec: AnomalyModelSpec, weights: readonly Float32Array[]): tf.LayersModel {
  const model = buildAnomalyModel(spec, { seed: 1 });
  const tensors = model.weights.map((w, i) => {
    const values = weights[i];
    if (values === undefined) throw new Error(`no values for weight ${w.originalName}`);
    return tf.tensor(values, w.shape.map((d) => d ?? -1));
  });
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
  return model;
}
