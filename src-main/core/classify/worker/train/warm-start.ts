/**
 * A round of the review loop starts from the previous round's trained model rather than from random
 * weights: the classifier's layers take the saved weights; extra training heads keep their fresh ones.
 */
import type * as tf from '@tensorflow/tfjs';
import { loadModel } from '../../../engine/worker/model-io.js';
import { classifierOf } from '../models/extra-heads.js';

function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.join(', ')}]`;
}

/** Sets `model`'s classifier to the weights of the model saved in `modelDir` (same architecture and classes). */
export async function warmStartFrom(model: tf.LayersModel, modelDir: string): Promise<void> {
  const saved = await loadModel(modelDir);
  try {
    const target = classifierOf(model);
    const want = target.weights.map((w) => w.shape);
    const have = saved.weights.map((w) => w.shape);
    const mismatch = want.findIndex((shape, i) => shapeText(shape) !== shapeText(have[i] ?? []));
    if (want.length !== have.length || mismatch >= 0) {
      const which = mismatch >= 0 ? `: weight ${target.weights[mismatch]?.originalName ?? mismatch} is ${shapeText(have[mismatch] ?? [])}, not ${shapeText(want[mismatch] ?? [])}` : '';
      throw new Error(`The model in ${modelDir} does not fit this run (${have.length} weights, not ${want.length}${which}); start from fresh weights instead.`);
    }
    target.setWeights(saved.getWeights());
  } finally {
    saved.dispose();
  }
}
