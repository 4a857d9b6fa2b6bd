import * as tf from '@tensorflow/tfjs';
import { methodInfo, type TrainSettings } from '../../../../shared/training.js';
import { applyStrong, strongAugment } from '../augment/strong.js';
import { drawStrongParams } from '../augment/strong-params.js';
import { applyWeak, drawWeakParams, weakAugment, type AugmentOptions } from '../augment/weak.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { clipBatchToTensor } from '../data/clip-tensor.js';
import type { Rng } from '../../../engine/random.js';
import { studentViews } from '../augment/svt-views.js';
import { SVT_LOCAL_VIEWS, SVT_TEACHER_VIEWS } from '../methods/svt-loss.js';
import { flipsWithView, MULTI_VIEWS, mirroredFlow, splitViews } from './multi-view.js';

/** What UPS knows of each unlabelled clip of a step: its pseudo-label (−1: none) and the classes it is surely not. */
export interface UnlabelledTargets {
  labels: number[];
  negatives: number[][];
}

/** VideoSSL: the teacher's probabilities on each clip's middle frame, one row per clip. */
export interface TeacherTargets {
  labelled: Float32Array[];
  unlabelled: Float32Array[];
}

/** 'pretrain': a self-supervised pretraining step (labels unused); 'train': a step of the run's method. */
export type TrainingStage = 'pretrain' | 'train';

/** One step's (or one shard's) decoded clips: labelled bytes with their classes, unlabelled bytes. */
export interface StepBytes {
  labelled: Uint8Array[];
  labels: number[];
  unlabelled: Uint8Array[];
  /** UPS only: one entry per unlabelled clip. */
  unlabelledTargets?: UnlabelledTargets | null;
  /** VideoSSL only. */
  teacher?: TeacherTargets | null;
}

/** The augmented tensors a step trains on; `owned` lists every tensor made, for the caller to dispose. */
export interface StepTensors {
  labelled: { x: tf.Tensor5D; y: tf.Tensor1D };
  weak: tf.Tensor5D | null;
  strong: tf.Tensor5D | null;
  /** TCL: each unlabelled clip at double speed (weakly augmented on its own). */
  aux: tf.Tensor5D | null;
  owned: tf.Tensor[];
}

/**
 * The clip at twice its speed over the same span: every other frame, each shown twice, so a model of
 * T frames sees T/2 segments covering the whole clip (TCL's auxiliary pathway).
 */
export function doubleSpeed(x: tf.Tensor5D): tf.Tensor5D {
  const frames = x.shape[1];
  const order = Array.from({ length: frames }, (_, i) => 2 * Math.floor(i / 2));
  return tf.tidy(() => tf.gather(x, tf.tensor1d(order, 'int32'), 1));
}

/**
 * Labelled clips get the weak augmentation; unlabelled ones a weak view, and the second view the method's
 * declaration asks for (a strong one, or the clip at double speed). MvPL clips hold several views (multi-view.ts): each comes out view-major
 * ([view 0 of every clip, view 1 of every clip, …]), every view of a clip augmented alike.
 */
export function stepTensors(bytes: StepBytes, spec: ClipSpec, settings: TrainSettings, rng: Rng, stage: TrainingStage = 'train'): StepTensors {
  const augment = { flip: settings.flip };
  const method = methodInfo[settings.method];
  if (stage === 'pretrain') return pretrainTensors(bytes, spec, settings, rng);
  if (method.clipViews > 1) return multiViewTensors(bytes, spec, augment, rng);
  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  try {
    const x = own(bytes.labelled.length === 0 ? noClips(spec) : weakAugment(own(clipBatchToTensor(bytes.labelled, spec)), rng, augment));
    const y = own(tf.tensor1d(bytes.labels, 'int32'));
    let weak: tf.Tensor5D | null = null;
    let strong: tf.Tensor5D | null = null;
    let aux: tf.Tensor5D | null = null;
    if (bytes.unlabelled.length > 0) {
      const rawU = own(clipBatchToTensor(bytes.unlabelled, spec));
      weak = own(weakAugment(rawU, rng, augment));
      if (method.unlabelledViews === 'weak+strong') strong = own(strongAugment(rawU, rng, augment));
      if (method.unlabelledViews === 'weak+double-speed') aux = own(weakAugment(own(doubleSpeed(rawU)), rng, augment));
    }
    return { labelled: { x, y }, weak, strong, aux, owned };
  } catch (error) {
    tf.dispose(owned);
    throw error;
  }
}

/** A micro-batch without labelled clips (a step split finer than them) still has a labelled batch: an empty one. */
function noClips(spec: ClipSpec): tf.Tensor5D {
  return tf.zeros([0, spec.frames, spec.size, spec.size, 3]);
}

/** Every view of the clips, view-major, through `apply`; a view that flips with the picture is mirrored where `flipped`. */
function viewMajor(clips: readonly Uint8Array[], spec: ClipSpec, flipped: readonly boolean[], apply: (x: tf.Tensor5D) => tf.Tensor5D): tf.Tensor5D {
  const perClip = clips.map((c) => splitViews(c, MULTI_VIEWS.length));
  return tf.tidy(() =>
    tf.concat(
      MULTI_VIEWS.map((view, v) => {
        const bytes = perClip.map((views, i) => {
          const b = views[v] as Uint8Array;
          return flipsWithView(view) && flipped[i] === true ? mirroredFlow(b) : b;
        });
        return apply(clipBatchToTensor(bytes, spec));
      }),
      0,
    ),
  );
}

function multiViewTensors(bytes: StepBytes, spec: ClipSpec, augment: AugmentOptions, rng: Rng): StepTensors {
  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  try {
    const labelledParams = drawWeakParams(rng, bytes.labelled.length, spec.size, spec.size, augment);
    const x = own(bytes.labelled.length === 0 ? noClips(spec) : viewMajor(bytes.labelled, spec, labelledParams.map((p) => p.flip), (t) => applyWeak(t, labelledParams)));
    const y = own(tf.tensor1d(bytes.labels, 'int32'));
    let weak: tf.Tensor5D | null = null;
    let strong: tf.Tensor5D | null = null;
    if (bytes.unlabelled.length > 0) {
      const weakParams = drawWeakParams(rng, bytes.unlabelled.length, spec.size, spec.size, augment);
      const strongParams = drawStrongParams(rng, bytes.unlabelled.length, spec.size, spec.size, augment);
      weak = own(viewMajor(bytes.unlabelled, spec, weakParams.map((p) => p.flip), (t) => applyWeak(t, weakParams)));
      strong = own(viewMajor(bytes.unlabelled, spec, strongParams.map((p) => p.weak.flip), (t) => applyStrong(t, strongParams)));
    }
    return { labelled: { x, y }, weak, strong, aux: null, owned };
  } catch (error) {
    tf.dispose(owned);
    throw error;
  }
}

/**
 * A pretraining step: every clip of the step, labelled or not (labels unused). 'contrast': weakly augmented as
 * `labelled.x`, and the same clips at double speed, augmented on their own, as `aux`. 'svt': the student's
 * global then local views, view-major, as `labelled.x` (svt-views.ts). MvPL's clips
 * pretrain on their colour view, the one it predicts from.
 */
function pretrainTensors(bytes: StepBytes, spec: ClipSpec, settings: TrainSettings, rng: Rng): StepTensors {
  const augment = { flip: settings.flip };
  const clips = pretrainClips(bytes, settings);
  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  try {
    const raw = own(clipBatchToTensor(clips, spec));
    if (settings.pretrainObjective === 'svt') {
      const views = own(studentViews(raw, SVT_TEACHER_VIEWS, SVT_LOCAL_VIEWS, rng, augment));
      return { labelled: { x: views, y: own(tf.tensor1d([], 'int32')) }, weak: null, strong: null, aux: null, owned };
    }
    const x = own(weakAugment(raw, rng, augment));
    const aux = own(weakAugment(own(doubleSpeed(raw)), rng, augment));
    return { labelled: { x, y: own(tf.tensor1d([], 'int32')) }, weak: null, strong: null, aux, owned };
  } catch (error) {
    tf.dispose(owned);
    throw error;
  }
}

/** The clips a pretraining step learns from, labelled then unlabelled; MvPL's as their colour view. */
export function pretrainClips(bytes: StepBytes, settings: TrainSettings): Uint8Array[] {
  const multiView = methodInfo[settings.method].clipViews > 1;
  return [...bytes.labelled, ...bytes.unlabelled].map((c) => (multiView ? (splitViews(c, MULTI_VIEWS.length)[0] as Uint8Array) : c));
}

export function clipSpecOf(settings: TrainSettings): ClipSpec {
  return { frames: settings.frames, size: settings.size, fps: settings.fps };
}
