import { runAnomalyScoring } from '../../anomaly/worker/score/run-anomaly-scoring.js';
import { runAnomalyTraining } from '../../anomaly/worker/train/run-anomaly-training.js';
import { runPrediction } from '../../classify/worker/predict/run-prediction.js';
import { runTraining } from '../../classify/worker/train/run-training.js';
import type { ToWorker } from '../job-messages.js';
import type { WorkerHost } from '../job-host.js';

type JobMessage = Exclude<ToWorker, { type: 'cancel' }>;

/**
 * Runs one job and makes sure it ends with exactly one of 'done' ('anomaly-done'), 'cancelled' or 'error': a job
 * that throws is reported, never left for the caller to wait on.
 */
export async function runJob(message: JobMessage, host: WorkerHost): Promise<void> {
  try {
    switch (message.type) {
      case 'train':
        await runTraining(message.config, host);
        break;
      case 'predict':
        await runPrediction(message.config, host);
        break;
      case 'anomaly-train':
        await runAnomalyTraining(message.config, host);
        break;
      case 'anomaly-score':
        await runAnomalyScoring(message.config, host);
        break;
    }
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    host.post({ type: 'error', message: err.message, ...(err.stack === undefined ? {} : { stack: err.stack }) });
  }
}
