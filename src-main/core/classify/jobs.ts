/**
 * The classifier's jobs as the main thread starts them and the worker runs them: training a run, and
 * predicting clips with a saved model. Types and job kinds only, so the main thread can load it.
 */
import type { EpochMetrics, StepMetrics } from '../../shared/run-dto.js';
import type { TrainSettings } from '../../shared/training.js';
import type { RunStop } from '../../shared/training-budget.js';
import { defineJob, type BackendRequest, type JobHost, type JobMessage, type TrainingMessage } from '../engine/job.js';
import type { MediaTools } from '../media/media-tools.js';
import type { ClipRef } from './clips/clip-ref.js';

export type { EpochMetrics, StepMetrics };

export interface LabelledClip {
  clip: ClipRef;
  /** Index into RunConfig.classes. */
  classIndex: number;
}

export interface RunConfig extends BackendRequest {
  runId: number;
  settings: TrainSettings;
  /** The classes in model output order. */
  classes: { id: number; name: string }[];
  train: LabelledClip[];
  validation: LabelledClip[];
  unlabelled: ClipRef[];
  /** Per unlabelled clip, the classes people ruled out in Review (UPS trains on them as negative labels). */
  unlabelledNegatives?: number[][];
  /** Clips to predict once training ends (every clip of the project). */
  predict: ClipRef[];
  /** Decoded clips are cached here (shared by runs). */
  clipCacheDir: string;
  /** The run's own folder: checkpoint/, model/. */
  runDir: string;
  tools: MediaTools;
  /** Continue from the checkpoint in runDir instead of starting over. */
  resume: boolean;
  /** Start from the trained model in this folder (a previous round's) instead of fresh weights; a checkpoint to resume wins. */
  warmStartDir?: string | null;
}

export interface PredictConfig extends BackendRequest {
  runId: number;
  /** Folder of the trained model (model.json, weights.bin). */
  modelDir: string;
  spec: { frames: number; size: number; fps: number | null };
  clips: ClipRef[];
  mcPasses: number;
  seed: number;
  clipCacheDir: string;
  tools: MediaTools;
}

/** Per clip: the eval-mode probabilities, and MC-dropout mean and std (empty when 0 passes). */
export interface PredictionRow {
  clipId: number;
  probs: number[];
  mcMean: number[];
  mcStd: number[];
  /** BALD: entropy of the MC mean minus the mean entropy of the passes (absent without MC passes). */
  mutualInfo?: number | null;
  /** The clip's features before the class layer (eval mode; absent when the model has none to read). */
  features?: number[];
}

/** Predicted clips, in chunks small enough for one message each. */
export type PredictionsMessage = { type: 'predictions'; rows: PredictionRow[] };

/** Why training stopped, sent before the model is saved (not after a cancel). */
export type StopMessage = { type: 'stop'; stop: RunStop };

export type TrainMessage = JobMessage<TrainingMessage<StepMetrics, EpochMetrics> | PredictionsMessage | StopMessage, EpochMetrics>;
export type PredictMessage = JobMessage<PredictionsMessage>;

/** Trains a run epoch by epoch (checkpointed), saves its model and predicts every clip with it. */
export const trainJob = defineJob<RunConfig, TrainMessage>({ type: 'train', title: 'training', messages: ['step', 'epoch', 'predictions', 'stop'], freshWorkerAfter: true });

/** Predicts clips with a run's saved model. */
export const predictJob = defineJob<PredictConfig, PredictMessage>({ type: 'predict', title: 'prediction', messages: ['predictions'] });

/** Where a training job, and the parts of it that decode and predict, report. */
export type TrainHost = JobHost<TrainMessage>;
/** Where prediction (a job of its own, or the end of training) reports. */
export type PredictHost = JobHost<PredictMessage>;
