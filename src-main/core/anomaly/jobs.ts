/**
 * The anomaly detector's jobs as the main thread starts them and the worker runs them: training a run on
 * footage marked normal, and scoring videos with a trained run. Types and job kinds only, so the main
 * thread can load it.
 */
import type { RegionBoxes } from '../../shared/anomaly-boxes.js';
import type { AnomalyEpochDto, AnomalySampling, AnomalyStepDto } from '../../shared/anomaly.js';
import { defineJob, type BackendRequest, type JobMessage, type TrainingMessage } from '../engine/job.js';
import type { MediaTools } from '../media/media-tools.js';

/** A stretch of footage marked normal: frames [startFrame, endFrame) of `file` (the whole file by default). */
export interface NormalInterval {
  file: string;
  startFrame?: number;
  endFrame?: number;
}

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
  /** Frames a second the model sees (every k-th decoded frame; 0 = every frame). */
  sampleFps: number;
  /** Seconds between the starts of neighbouring source windows. */
  windowStrideSeconds: number;
  /** Video frames between source windows: overrides windowStrideSeconds when not null. */
  windowStride: number | null;
  /** Frames are decoded with this longer side. */
  longSide: number;
  /** Tubes follow their object through the window (absent: true); false keeps the middle frame's box. */
  followObjects?: boolean;
  /** A TF.js image model whose outputs a fourth head learns to predict (distillation); none when absent. */
  teacherDir?: string | null;
  /** CPU threads a step is split across on wasm and cpu (0 or absent: one per core). */
  threads?: number;
}

export interface AnomalyRunConfig extends BackendRequest {
  runId: number;
  settings: AnomalyTrainSettings;
  normal: NormalInterval[];
  /** The run's own folder: checkpoint/, model/. */
  runDir: string;
  tools: MediaTools;
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

export type AnomalyTrainMessage = JobMessage<TrainingMessage<AnomalyStepMetrics, AnomalyEpochMetrics> | { type: 'tubes'; stats: AnomalyTubeStats }, AnomalyEpochMetrics>;

export interface AnomalyScoreConfig extends BackendRequest {
  runId: number;
  /** Folder of the run's trained model (model.json, weights.bin). */
  modelDir: string;
  /** Scored in this order. */
  videos: { videoId: number; path: string }[];
  options: {
    /** Seconds between the starts of neighbouring 7-frame windows, and the video frames that override it. */
    strideSeconds: number;
    stride?: number;
    /** Temporal Gaussian σ in seconds (0 = none), and the video frames that override it. */
    sigmaSeconds: number;
    sigma?: number;
    /** The run's sampling: frames a second the model sees (0 = every frame). */
    sampleFps: number;
    /** Frames are decoded with this longer side: the run's, so regions look as they did in training. */
    longSide: number;
    /** Whether tubes follow their object: the run's, so tubes are cut as they were in training. */
    followObjects: boolean;
  };
  tools: MediaTools;
}

/** One video's curves, as scoring returns them. */
export interface VideoScores {
  /** Frames decoded (the stream's count, not the header's promise). */
  frameCount: number;
  fps: number | null;
  /** The working size frames were scored at. */
  width: number;
  height: number;
  tasks: string[];
  /** Per frame, the smoothed anomaly score (higher = more anomalous). */
  scores: Float32Array;
  /** Per frame, the score before smoothing: the sum of the normalised task scores of the highest region. */
  raw: Float32Array;
  /** Per task and frame, that region's normalised task score (unsmoothed; the parts sum to `raw`). */
  perTask: Record<string, Float32Array>;
  /** Per frame, the box of the region that set `raw`, in the video's displayed pixels (not the working size). */
  boxes: RegionBoxes;
  regionsScored: number;
  windows: { motion: number; grid: number };
  /** Object regions' tubes by how they were cut: following the object, its union box, its middle-frame box. */
  follow?: { tracked: number; union: number; middle: number };
  /** Video frames between windows, and the video frames a window's regions cover either side of its centre. */
  stride: number;
  halfSpan: number;
  /** What was sampled and used, in video frames and seconds. */
  sampling: AnomalySampling;
  /** Wall time of the whole scoring, from opening the file to the returned curve. */
  seconds: number;
}

/** Each scored video is one message (its Float32Array curves travel by structured clone), stored before the next starts. */
export type AnomalyScoreMessage = JobMessage<{ type: 'scores'; videoId: number; result: VideoScores }>;

/** Trains an anomaly run (checkpointed every epoch) and saves its model beside the checkpoint. */
export const anomalyTrainJob = defineJob<AnomalyRunConfig, AnomalyTrainMessage>({
  type: 'anomaly-train',
  title: 'anomaly training',
  messages: ['tubes', 'step', 'epoch'],
  freshWorkerAfter: true,
});

/** Scores videos with an anomaly run's model, one after another, each streamed. */
export const anomalyScoreJob = defineJob<AnomalyScoreConfig, AnomalyScoreMessage>({ type: 'anomaly-score', title: 'anomaly scoring', messages: ['scores'] });
