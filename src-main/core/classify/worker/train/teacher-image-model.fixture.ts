/** A small image model to stand in for a teacher (seeded, untrained): what a teacher is made of is not under test. */
import * as tf from '@tensorflow/tfjs';
import { saveModel } from '../../../engine/worker/model-io.js';

export async function saveSmallTeacher(dir: string): Promise<void> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  try {
    await saveModel(model, dir);
  } finally {
    model.dispose();
  }
}
