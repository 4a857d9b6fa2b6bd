/**
 * What runs anomaly jobs: the long-lived training worker (TrainingWorker implements this), or the same
 * job functions in this thread (tests, and callers that want no worker).
 */
import type { AnomalyScoreConfig, AnomalyScoreFromWorker } from '../anomaly-score-job.js';
import { runAnomalyScoring } from '../worker/score/run-anomaly-scoring.js';
import type { AnomalyFromWorker, AnomalyRunConfig } from '../anomaly-train-job.js';
import { runAnomalyTraining } from '../worker/train/run-anomaly-training.js';

export type AnomalyJobOutcome = 'done' | 'cancelled';

export interface AnomalyEngine {
  /** Resolves 'done' or 'cancelled'; rejects with the reason when training fails. */
  trainAnomaly(config: AnomalyRunConfig, onMessage: (message: AnomalyFromWorker) => void, signal: AbortSignal): Promise<AnomalyJobOutcome>;
  /** Resolves 'done' or 'cancelled'; rejects with the reason when a video cannot be scored. */
  scoreAnomaly(config: AnomalyScoreConfig, onMessage: (message: AnomalyScoreFromWorker) => void, signal: AbortSignal): Promise<AnomalyJobOutcome>;
}

interface InProcessHost<M> {
  post(message: M): void;
  cancelled(): boolean;
  readonly signal: AbortSignal;
}

async function runHere<M extends { type: string }>(
  job: (host: InProcessHost<M>) => Promise<void>,
  onMessage: (message: M) => void,
  signal: AbortSignal,
): Promise<AnomalyJobOutcome> {
  let outcome: AnomalyJobOutcome = 'done';
  await job({
    post: (message) => {
      if (message.type === 'cancelled') outcome = 'cancelled';
      onMessage(message);
    },
    cancelled: () => signal.aborted,
    signal,
  });
  return outcome;
}

/** Runs anomaly jobs in this thread, on whatever tfjs backend the job selects. */
export const inProcessAnomalyEngine: AnomalyEngine = {
  trainAnomaly: (config, onMessage, signal) => runHere((host) => runAnomalyTraining(config, host), onMessage, signal),
  scoreAnomaly: (config, onMessage, signal) => runHere((host) => runAnomalyScoring(config, host), onMessage, signal),
};
