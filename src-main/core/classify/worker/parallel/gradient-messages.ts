/** What a classification step sends its gradient threads and gets back (the protocol is the engine's, parallel/gradient-messages.ts). */
import type { TrainSettings } from '../../../../shared/training.js';
import type { BackendName } from '../../../engine/backend-choice.js';
import type { PseudoLabelRule, ShardShare, StepValues } from '../methods/step-gradients.js';
import type { ExtraHeads } from '../models/extra-heads.js';
import type { TeacherTargets, TrainingStage, UnlabelledTargets } from '../train/step-tensors.js';

export interface GradientWorkerInit {
  settings: TrainSettings;
  classes: number;
  /** The backend the job runs on; the thread activates the same one. */
  backend: BackendName;
  /** The training model's extra heads, so the thread's copy has the same weights. */
  heads: ExtraHeads;
}

/** One shard of a step: the weights to start from, its clips, and what the step's loss needs. */
export interface ShardJob {
  /** The trainable weights, concatenated in `model.trainableWeights` order. */
  weights: Float32Array;
  labelled: Uint8Array[];
  labels: number[];
  unlabelled: Uint8Array[];
  unlabelledTargets?: UnlabelledTargets | null;
  teacher?: TeacherTargets | null;
  stage: TrainingStage;
  rule: PseudoLabelRule | null;
  share: ShardShare;
  step: number;
  totalSteps: number;
  /** Seeds this shard's augmentation and dropout. */
  seed: number;
}

export interface ShardResult {
  /** Gradients, concatenated like `ShardJob.weights`. */
  grads: Float32Array;
  values: StepValues;
  weakProbs: Float32Array | null;
}
