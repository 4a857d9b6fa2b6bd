import { ApiError } from '../../../shared/errors.js';
import type { JobHost } from '../job.js';

/** Whether `error` is a job stopping because it was asked to (any error once cancelled, but a failure that is not a cancel). */
export function isCancellation(error: unknown, host: JobHost<never>): boolean {
  return host.cancelled() && (error instanceof ApiError ? error.code === 'CANCELLED' : true);
}
