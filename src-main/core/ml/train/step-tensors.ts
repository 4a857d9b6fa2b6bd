import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../shared/training.js';
import { strongAugment } from '../augment/strong.js';
import { weakAugment } from '../augment/weak.js';
import type { ClipSpec } from '../data/clip-spec.js';
import { clipBatchToTensor } from '../data/clip-tensor.js';
import type { Rng } from '../random.js';

/** One step's (or one shard's) decoded clips: labelled bytes with their classes, unlabelled bytes. */
export interface StepBytes {
  labelled: Uint8Array[];
  labels: number[];
  unlabelled: Uint8Array[];
}

/** The augmented tensors a step trains on; `owned` lists every tensor made, for the caller to dispose. */
export interface StepTensors {
  labelled: { x: tf.Tensor5D; y: tf.Tensor1D };
  weak: tf.Tensor5D | null;
  strong: tf.Tensor5D | null;
  owned: tf.Tensor[];
}

/** Labelled clips get the weak augmentation; unlabelled ones a weak view, and a strong one for fixmatch and flexmatch. */
export function stepTensors(bytes: StepBytes, spec: ClipSpec, settings: TrainSettings, rng: Rng): StepTensors {
  const augment = { flip: settings.flip };
  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  try {
    const raw = own(clipBatchToTensor(bytes.labelled, spec));
    const x = own(weakAugment(raw, rng, augment));
    const y = own(tf.tensor1d(bytes.labels, 'int32'));
    let weak: tf.Tensor5D | null = null;
    let strong: tf.Tensor5D | null = null;
    if (bytes.unlabelled.length > 0) {
      const rawU = own(clipBatchToTensor(bytes.unlabelled, spec));
      weak = own(weakAugment(rawU, rng, augment));
      if (settings.method === 'fixmatch' || settings.method === 'flexmatch') strong = own(strongAugment(rawU, rng, augment));
    }
    return { labelled: { x, y }, weak, strong, owned };
  } catch (error) {
    tf.dispose(owned);
    throw error;
  }
}

export function clipSpecOf(settings: TrainSettings): ClipSpec {
  return { frames: settings.frames, size: settings.size, fps: settings.fps };
}
