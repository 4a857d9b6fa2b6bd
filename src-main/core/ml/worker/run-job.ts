import { runPrediction } from '../predict/run-prediction.js';
import { runTraining } from '../train/run-training.js';
import type { ToWorker } from './messages.js';
import type { WorkerHost } from './worker-host.js';

type JobMessage = Exclude<ToWorker, { type: 'cancel' }>;

/**
 * Runs one job and makes sure it ends with exactly one of 'done', 'cancelled' or 'error': a job
 * that throws is reported, never left for the caller to wait on.
 */
export async function runJob(message: JobMessage, host: WorkerHost): Promise<void> {
  try {
    if (message.type === 'train') await runTraining(message.config, host);
    else await runPrediction(message.config, host);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    host.post({ type: 'error', message: err.message, ...(err.stack === undefined ? {} : { stack: err.stack }) });
  }
}
