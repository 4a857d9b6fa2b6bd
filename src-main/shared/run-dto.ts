/** What the UI and the CLI see of training runs, their metrics and their predictions. */
import type { LabelImportSkip } from './dto.js';
import type { TrainingMethod, TrainSettings } from './training.js';
import type { RunStop } from './training-budget.js';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** Measured at the end of each epoch. */
export interface EpochMetrics {
  epoch: number;
  /** Steps done so far in the run. */
  step: number;
  lr: number;
  loss: number;
  supervisedLoss: number;
  unsupervisedLoss: number;
  /** Share of unlabelled clips whose pseudo-label passed the threshold this epoch. */
  maskRate: number;
  /** Accuracy on the labelled training batches this epoch (augmented, training mode). */
  trainAccuracy: number;
  /** Accuracy of the EMA model on the validation split (null without one). */
  validationAccuracy: number | null;
  validationLoss: number | null;
  /** FlexMatch: the threshold per class, in the run's class order. */
  classThresholds: number[] | null;
  /** Clips per second trained this epoch (labelled + unlabelled). */
  clipsPerSecond: number;
  seconds: number;
  /** 'pretrain': a self-supervised pretraining epoch (labels unused, `loss` is the pretraining objective's (SVT's or the contrast's), no validation). Absent: the method's own epochs. */
  stage?: 'pretrain';
}

export interface StepMetrics {
  epoch: number;
  step: number;
  loss: number;
  maskRate: number;
}

export interface RunClass {
  id: number;
  name: string;
}

/** 'trained': this app trained a model that made the predictions; 'imported': a prediction file made elsewhere. */
export type RunOrigin = 'trained' | 'imported';

/** The file an imported run's predictions came from. */
export interface RunSource {
  file: string;
  format: PredictionImportFormat;
}

export interface RunDto {
  id: number;
  name: string;
  origin: RunOrigin;
  /** Imported runs only. */
  source: RunSource | null;
  /** Null for an imported run: no method or settings made its predictions here. */
  method: TrainingMethod | null;
  settings: TrainSettings | null;
  status: RunStatus;
  error: string | null;
  /** The job that trains or predicts right now, if any. */
  jobId: number | null;
  /** Which TensorFlow.js backend trained it, and why that one. */
  backend: string | null;
  backendReason: string | null;
  epochsDone: number;
  classes: RunClass[];
  dataset: { train: number; validation: number; unlabelled: number };
  last: EpochMetrics | null;
  bestValidationAccuracy: number | null;
  /** Why training stopped (plateau, ceiling, fixed epochs, cancelled); null while it trains, for imported runs and runs from before budgets. */
  stop: RunStop | null;
  predictions: number;
  /** A checkpoint exists and the run did not finish: it can go on. */
  resumable: boolean;
  /** The trained model exists (it can be exported and used to predict). */
  hasModel: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A run this app trained: it has a method and settings (and, once it succeeded, a model). */
export type TrainedRunDto = RunDto & { origin: 'trained'; method: TrainingMethod; settings: TrainSettings };

export function isTrainedRun(run: RunDto): run is TrainedRunDto {
  return run.origin === 'trained' && run.settings !== null && run.method !== null;
}

/** Why an imported run cannot do what needs a model (predict, export, resume, retrain from its settings). */
export function importedRunReason(run: RunDto): string {
  const from = run.source ? ` from ${run.source.file.split(/[\\/]/).pop() ?? run.source.file}` : '';
  return `Run ${run.id} was imported${from}: it has predictions to review but no model or training settings.`;
}

export interface RunMetricsDto {
  runId: number;
  epochs: EpochMetrics[];
  steps: StepMetrics[];
}

export interface PredictionDto {
  clipId: number;
  videoId: number;
  videoName: string;
  startSec: number;
  endSec: number;
  startFrame: number;
  endFrame: number;
  /** The predicted class (argmax of the eval-mode probabilities). */
  classId: number;
  confidence: number;
  /** Top probability minus the second. */
  margin: number;
  /** Entropy of the probabilities, in nats. */
  entropy: number;
  /** MC-dropout std of the predicted class; null when predicted without MC passes. */
  uncertainty: number | null;
  /** In the run's class order. */
  probs: number[];
  /** The clip's label now, if a person (or an import) gave it one. */
  labelClassId: number | null;
}

export interface PredictionPage {
  runId: number;
  classes: RunClass[];
  total: number;
  items: PredictionDto[];
}

export const predictionFormats = ['csv', 'activitynet'] as const;
export type PredictionFormat = (typeof predictionFormats)[number];

/** Prediction files `predictions:import` reads: our csv, ActivityNet results, Label Studio tasks' `predictions`. */
export const predictionImportFormats = ['csv', 'activitynet', 'labelstudio'] as const;
export type PredictionImportFormat = (typeof predictionImportFormats)[number];

export interface PredictionImportReport {
  file: string;
  format: PredictionImportFormat;
  /** The imported run; null when nothing could be imported (then no run is created). */
  run: RunDto | null;
  /** Predictions in the file that named a known video and class, with a usable segment and confidence. */
  usable: number;
  /** Clips that got a prediction (a segment covers the clips it overlaps most, see `segmentCover`). */
  clips: number;
  /** Clips among them that already have a label: it stays; review leaves them out. */
  labelledClips: number;
  createdClasses: string[];
  /** Class names the file uses that the project lacks (skipped unless classes were created). */
  unknownClasses: string[];
  skipped: LabelImportSkip[];
  notes: string[];
}

/** tfjs: the TF.js layers folder (needs the app's custom layer classes); onnx: a standard ONNX graph (opset 17). */
export const modelExportFormats = ['tfjs', 'onnx'] as const;
export type ModelExportFormat = (typeof modelExportFormats)[number];

export interface ModelExportReport {
  dir: string;
  format: ModelExportFormat;
  files: string[];
}
