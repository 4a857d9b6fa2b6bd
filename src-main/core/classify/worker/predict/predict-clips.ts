import type * as tf from '@tensorflow/tfjs';
import type { ClipRef } from '../../clips/clip-ref.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { clipBatchToTensor } from '../data/clip-tensor.js';
import type { Rng } from '../../../engine/random.js';
import type { ClipCache } from '../../clips/clip-cache.js';
import { batchesOf, clipKey, readClips, type ClipReader } from '../train/clip-reader.js';
import { decodeClips, describeFailures } from '../train/decode-clips.js';
import { readAhead } from '../../../engine/worker/read-ahead.js';
import { StepThrottle, STEP_MESSAGE_INTERVAL_MS, yieldToEventLoop } from '../../../engine/worker/step-throttle.js';
import type { PredictHost, PredictionRow } from '../../jobs.js';
import { batchProbabilities, rowOf } from './batch-probabilities.js';
import { featureModelOf } from './penultimate-features.js';

/** Rows per 'predictions' message: a message stays small however many clips a project has. */
export const PREDICTION_CHUNK = 500;
const PREDICT_BATCH = 32;

export interface PredictOptions {
  spec: ClipSpec;
  mcPasses: number;
  rng: Rng;
  batchSize?: number;
}

/**
 * Predicts every clip and posts the rows in 'predictions' messages of at most PREDICTION_CHUNK rows,
 * with throttled 'progress'. Returns false when cancelled part way (rows already posted stay posted).
 */
export async function predictClips(
  model: tf.LayersModel,
  clips: readonly ClipRef[],
  reader: ClipReader,
  options: PredictOptions,
  host: PredictHost,
): Promise<boolean> {
  const batches = batchesOf(clips, options.batchSize ?? PREDICT_BATCH);
  const featureModel = featureModelOf(model);
  const throttle = new StepThrottle(STEP_MESSAGE_INTERVAL_MS);
  let pending: PredictionRow[] = [];
  let done = 0;
  let index = 0;
  const flush = (): void => {
    if (pending.length > 0) host.post({ type: 'predictions', rows: pending });
    pending = [];
  };
  host.post({ type: 'progress', phase: 'predict', done: 0, total: clips.length, message: `Predicting ${clips.length} clips` });
  for await (const bytes of readAhead(batches.length, (i) => readClips(reader, batches[i] ?? []))) {
    if (host.cancelled()) {
      flush();
      return false;
    }
    const batch = batches[index++] ?? [];
    const x = clipBatchToTensor(bytes, options.spec);
    let result;
    try {
      result = await batchProbabilities(model, x, options.mcPasses, options.rng, featureModel);
    } finally {
      x.dispose();
    }
    batch.forEach((clip, i) => {
      pending.push({
        clipId: clip.clipId,
        probs: rowOf(result.probs, i, result.classes),
        mcMean: rowOf(result.mcMean, i, result.classes),
        mcStd: rowOf(result.mcStd, i, result.classes),
        mutualInfo: result.mutualInfo?.[i] ?? null,
        ...(result.features === null ? {} : { features: rowOf(result.features, i, result.featureDim) }),
      });
      if (pending.length >= PREDICTION_CHUNK) flush();
    });
    done += batch.length;
    if (throttle.ready() || done === clips.length) {
      host.post({ type: 'progress', phase: 'predict', done, total: clips.length, message: `Predicted ${done} of ${clips.length} clips` });
    }
    await yieldToEventLoop();
  }
  flush();
  return true;
}

/** Decodes the clips to predict; the ones that cannot be decoded are reported and left out. */
export async function decodablePredictionClips(cache: ClipCache, clips: readonly ClipRef[], host: PredictHost): Promise<ClipRef[]> {
  const failed = await decodeClips(cache, clips, 'prediction', host);
  if (failed.length === 0) return [...clips];
  host.post({ type: 'progress', phase: 'decode', done: 0, total: 0, message: `Not predicted: ${describeFailures(failed, 'prediction')}` });
  const bad = new Set(failed.map((f) => clipKey(f.clip)));
  return clips.filter((c) => !bad.has(clipKey(c)));
}
