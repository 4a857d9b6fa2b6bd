/**
 * What every training job does around its own loop: pick the backend and say so, and turn a cancel
 * that interrupted it mid-way (ffmpeg killed, a read aborted) into a 'cancelled' with the epochs the
 * last checkpoint kept.
 */
import type { BackendChoice } from '../backend-choice.js';
import type { BackendRequest, CommonMessage, JobHost } from '../job.js';
import { selectJobBackend } from './backend/job-backend.js';
import { isCancellation } from './cancellation.js';

export interface TrainingJob {
  config: BackendRequest;
  host: JobHost<CommonMessage<never>>;
  /** How the run describes its backend (the classifier adds its thread split). */
  describe?: (backend: BackendChoice) => BackendChoice | Promise<BackendChoice>;
  /** The loop itself; it posts 'done' or 'cancelled'. */
  train: (backend: BackendChoice) => Promise<void>;
  /** Epochs the last checkpoint holds (0 without one): what a cancelled run reports. */
  savedEpochs: () => Promise<number>;
}

/** Runs a training job's loop on its backend; throws on failure (the worker reports that as 'error'). */
export async function runTrainingJob(job: TrainingJob): Promise<void> {
  const { host } = job;
  const backend = await selectJobBackend(job.config);
  host.post({ type: 'started', backend: (await job.describe?.(backend)) ?? backend });
  try {
    await job.train(backend);
  } catch (error) {
    if (!isCancellation(error, host)) throw error;
    const epochs = await job.savedEpochs().catch(() => 0);
    host.post({ type: 'cancelled', epochs });
  }
}
