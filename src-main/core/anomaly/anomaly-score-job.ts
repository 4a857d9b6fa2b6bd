/**
 * What an anomaly scoring job takes and reports. It shares 'started', 'progress', 'done', 'cancelled'
 * and 'error' with the other jobs; each scored video arrives as one 'anomaly-scores' message (its
 * Float32Array curves travel by structured clone), so the main thread stores it before the next starts.
 */
import type { BackendName } from '../engine/backend-choice.js';
import type { CommonFromWorker, MediaToolPaths } from '../engine/job-messages.js';
import type { VideoScores } from './worker/score/score-video.js';

export interface AnomalyScoreConfig {
  runId: number;
  /** Folder of the run's trained model (model.json, weights.bin). */
  modelDir: string;
  /** Scored in this order. */
  videos: { videoId: number; path: string }[];
  options: {
    /** Frames between the starts of neighbouring 7-frame windows. */
    stride: number;
    /** Temporal Gaussian σ in frames (0 = none). */
    sigma: number;
    /** Frames are decoded with this longer side: the run's, so regions look as they did in training. */
    longSide: number;
  };
  tools: MediaToolPaths;
  backend?: BackendName;
}

type SharedMessage = Extract<CommonFromWorker, { type: 'started' | 'progress' | 'done' | 'cancelled' | 'error' }>;

export type AnomalyScoreFromWorker = SharedMessage | { type: 'anomaly-scores'; videoId: number; result: VideoScores };

/** Where a scoring job reports to and learns it should stop. */
export interface AnomalyScoreHost {
  post(message: AnomalyScoreFromWorker): void;
  cancelled(): boolean;
  readonly signal: AbortSignal;
}
