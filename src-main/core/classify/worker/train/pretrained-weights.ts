/**
 * The weights self-supervised pretraining ended with, kept in the run's folder so that every UPS round,
 * which starts over from fresh parts, starts from them rather than from random weights.
 */
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadModel, saveModel } from '../../../engine/worker/model-io.js';

export const PRETRAINED_DIR = 'pretrained';

export async function savePretrained(model: tf.LayersModel, runDir: string): Promise<void> {
  await saveModel(model, path.join(runDir, PRETRAINED_DIR));
}

/** Sets `model` (same architecture and heads) to the saved pretrained weights. */
export async function restorePretrained(model: tf.LayersModel, runDir: string): Promise<void> {
  const saved = await loadModel(path.join(runDir, PRETRAINED_DIR));
  try {
    model.setWeights(saved.getWeights());
  } finally {
    saved.dispose();
  }
}
