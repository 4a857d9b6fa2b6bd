/** The typed messages between the main thread and the training worker. */
import type { EpochMetrics } from '../../shared/run-dto.js';
import type { TrainSettings } from '../../shared/training.js';
import type { AnomalyScoreConfig, AnomalyScoreFromWorker } from '../anomaly/anomaly-score-job.js';
import type { AnomalyFromWorker, AnomalyRunConfig } from '../anomaly/anomaly-train-job.js';
import type { BackendChoice, BackendName } from './backend-choice.js';
import type { ClipRef } from '../classify/clips/clip-ref.js';

export type { EpochMetrics };

export interface LabelledClip {
  clip: ClipRef;
  /** Index into RunConfig.classes. */
  classIndex: number;
}

export interface MediaToolPaths {
  ffmpeg: string;
  ffprobe: string;
}

export interface RunConfig {
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
  tools: MediaToolPaths;
  /** Force a backend (tests, `VSSL_TF_BACKEND`); otherwise the fastest that loads. */
  backend?: BackendName;
  /** Continue from the checkpoint in runDir instead of starting over. */
  resume: boolean;
}

export interface PredictConfig {
  runId: number;
  /** Folder of the trained model (model.json, weights.bin). */
  modelDir: string;
  spec: { frames: number; size: number; fps: number | null };
  clips: ClipRef[];
  mcPasses: number;
  seed: number;
  clipCacheDir: string;
  tools: MediaToolPaths;
  backend?: BackendName;
}

/** Per clip: the eval-mode probabilities, and MC-dropout mean and std (empty when 0 passes). */
export interface PredictionRow {
  clipId: number;
  probs: number[];
  mcMean: number[];
  mcStd: number[];
  /** BALD: entropy of the MC mean minus the mean entropy of the passes (absent without MC passes). */
  mutualInfo?: number | null;
}

export type ToWorker =
  | { type: 'train'; config: RunConfig }
  | { type: 'predict'; config: PredictConfig }
  | { type: 'anomaly-train'; config: AnomalyRunConfig }
  | { type: 'anomaly-score'; config: AnomalyScoreConfig }
  | { type: 'cancel' };

/** What every job reports (the anomaly jobs add their own messages, below). */
export type CommonFromWorker =
  | { type: 'started'; backend: BackendChoice }
  | {
      type: 'progress';
      phase: 'decode' | 'train' | 'predict' | 'score';
      done: number;
      total: number;
      message: string;
    }
  /** Throttled: at most a few per second. */
  | { type: 'step'; epoch: number; step: number; loss: number; maskRate: number }
  | { type: 'epoch'; metrics: EpochMetrics; checkpointed: boolean }
  | { type: 'predictions'; rows: PredictionRow[] }
  | { type: 'done'; epochs: number; final: EpochMetrics | null }
  | { type: 'cancelled'; epochs: number }
  | { type: 'error'; message: string; stack?: string };

/** The anomaly jobs' own messages, in the one union the worker and its client speak. */
type AnomalyOnly = Exclude<AnomalyFromWorker | AnomalyScoreFromWorker, CommonFromWorker>;

export type FromWorker = CommonFromWorker | AnomalyOnly;
