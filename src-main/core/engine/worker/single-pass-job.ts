/**
 * What a job that runs once over its input (prediction, scoring) does around its work: pick the backend
 * and say so, then end with 'done', or 'cancelled' when the work stopped at a cancel or was interrupted by one.
 */
import type { BackendChoice } from '../backend-choice.js';
import type { BackendRequest, CommonMessage, JobHost } from '../job.js';
import { selectJobBackend } from './backend/job-backend.js';
import { isCancellation } from './cancellation.js';

/** `work` gets the backend it runs on and resolves false when it stopped at a cancel; a failure throws (the worker reports that as 'error'). */
export async function runSinglePassJob(config: BackendRequest, host: JobHost<CommonMessage<never>>, work: (backend: BackendChoice) => Promise<boolean>): Promise<void> {
  const backend = await selectJobBackend(config);
  host.post({ type: 'started', backend });
  try {
    const finished = await work(backend);
    host.post(finished ? { type: 'done', epochs: 0, final: null } : { type: 'cancelled', epochs: 0 });
  } catch (error) {
    if (!isCancellation(error, host)) throw error;
    host.post({ type: 'cancelled', epochs: 0 });
  }
}
