/** Saves and loads anomaly models with the classifier's model.json + weights.bin helpers. */
import type * as tf from '@tensorflow/tfjs';
import { loadModel, saveModel } from '../../../engine/worker/model-io.js';
import { anomalySpecOf } from './anomaly-model.js';
import type { AnomalyModelSpec } from './anomaly-model-spec.js';

export async function saveAnomalyModel(model: tf.LayersModel, dir: string): Promise<void> {
  anomalySpecOf(model);
  await saveModel(model, dir);
}

/** Loads a model saved by saveAnomalyModel and the spec read back from it; throws for any other model. */
export async function loadAnomalyModel(dir: string): Promise<{ model: tf.LayersModel; spec: AnomalyModelSpec }> {
  const model = await loadModel(dir);
  try {
    return { model, spec: anomalySpecOf(model) };
  } catch (error) {
    model.dispose();
    throw new Error(`${dir}: ${(error as Error).message}`);
  }
}
