/**
 * What an anomaly training job takes and reports. The shared messages (started, progress, cancelled,
 * error) are the classification worker's own; the three `anomaly-*` ones are new and belong in the
 * worker's FromWorker union, so one worker and one host can run both kinds of job.
 */
import type { AnomalyEpochDto, AnomalyStepDto } from '../../shared/anomaly.js';
import type { BackendName } from '../engine/backend-choice.js';
import type { CommonFromWorker, MediaToolPaths } from '../engine/job-messages.js';
import type { TaskSampleOptions } from './worker/tasks/task-samples.js';
import type { NormalInterval } from './worker/train/normal-tubes.js';

export interface AnomalyTrainSettings {
  epochs: number;
  /** Source tubes per step; every task gets one sample of each. */
  batchSize: number;
  learningRate: number;
  seed: number;
  /** S: the side of a region's tube. */
  size: number;
  channels: 1 | 3;
  /** Channels of the first encoder block. */
  width: number;
  /** Encoder blocks (S must be a multiple of 2^depth). */
  depth: number;
  /** The reservoir of training tubes holds at most this many. */
  maxTubes: number;
  /** Frames between the starts of neighbouring source windows. */
  windowStride: number;
  /** Frames are decoded with this longer side. */
  longSide: number;
  /** A TF.js image model whose outputs a fourth head learns to predict (distillation); none when absent. */
  teacherDir?: string | null;
  /** Task sample shares; omitted = TASK_SAMPLE_DEFAULTS. */
  tasks?: TaskSampleOptions;
}

export interface AnomalyRunConfig {
  runId: number;
  settings: AnomalyTrainSettings;
  normal: NormalInterval[];
  /** The run's own folder: checkpoint/, model/. */
  runDir: string;
  tools: MediaToolPaths;
  backend?: BackendName;
  /** Continue from the checkpoint in runDir instead of starting over. */
  resume: boolean;
}

/**
 * One step's losses (L = middle + arrow + irregular) and the classification heads' accuracy on the
 * batch, as the DTO has them; the worker always says the teacher's loss (before its weight; null
 * without a teacher). `step` counts the steps done so far in the run.
 */
export type AnomalyStepMetrics = AnomalyStepDto & { teacherLoss: number | null };

/** The epoch's means over its steps (weighted by tubes per step), with the tubes trained on and how fast. */
export type AnomalyEpochMetrics = AnomalyEpochDto & { teacherLoss: number | null };

export interface AnomalyTubeStats {
  /** Tubes trained on (the reservoir) and tubes the footage held. */
  kept: number;
  seen: number;
  motionWindows: number;
  gridWindows: number;
}

type SharedMessage = Extract<CommonFromWorker, { type: 'started' | 'progress' | 'cancelled' | 'error' }>;

export type AnomalyFromWorker =
  | SharedMessage
  | { type: 'anomaly-tubes'; stats: AnomalyTubeStats }
  /** Throttled: at most a few per second. */
  | { type: 'anomaly-step'; metrics: AnomalyStepMetrics }
  | { type: 'anomaly-epoch'; metrics: AnomalyEpochMetrics; checkpointed: boolean }
  | { type: 'anomaly-done'; epochs: number; final: AnomalyEpochMetrics | null; modelDir: string };

/** Where an anomaly job reports to and learns it should stop (the WorkerHost shape, with these messages). */
export interface AnomalyHost {
  post(message: AnomalyFromWorker): void;
  cancelled(): boolean;
  readonly signal: AbortSignal;
}

export function inProcessAnomalyHost(onMessage: (message: AnomalyFromWorker) => void, signal: AbortSignal = new AbortController().signal): AnomalyHost {
  return { post: onMessage, cancelled: () => signal.aborted, signal };
}
