import * as tf from '@tensorflow/tfjs';
import { clipBatchToTensor } from '../data/clip-tensor.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { crossEntropyPerRow } from '../../../engine/worker/losses.js';
import type { LabelledClip } from '../../jobs.js';
import { batchesOf, readClips, type ClipReader } from './clip-reader.js';
import { readAhead } from '../../../engine/worker/read-ahead.js';

export interface Evaluation {
  accuracy: number;
  loss: number;
}

/** Accuracy and mean cross-entropy of the model (inference mode) on labelled clips; null without clips. */
export async function evaluate(
  model: tf.LayersModel,
  clips: readonly LabelledClip[],
  reader: ClipReader,
  spec: ClipSpec,
  batchSize: number,
): Promise<Evaluation | null> {
  if (clips.length === 0) return null;
  const batches = batchesOf(clips, batchSize);
  let correct = 0;
  let lossSum = 0;
  let index = 0;
  for await (const bytes of readAhead(batches.length, (i) => readClips(reader, (batches[i] ?? []).map((c) => c.clip)))) {
    const labels = (batches[index++] ?? []).map((c) => c.classIndex);
    const sums = tf.tidy(() => {
      const x = clipBatchToTensor(bytes, spec);
      const logits = model.predict(x) as tf.Tensor2D;
      const y = tf.tensor1d(labels, 'int32');
      return tf.stack([tf.sum(crossEntropyPerRow(logits, y)), tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'))]);
    });
    const [loss = 0, right = 0] = await sums.data();
    sums.dispose();
    lossSum += loss;
    correct += right;
  }
  return { accuracy: correct / clips.length, loss: lossSum / clips.length };
}
