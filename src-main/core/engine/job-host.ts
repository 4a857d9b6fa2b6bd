import type { FromWorker } from './job-messages.js';

/**
 * Where a training or prediction job reports to and learns it should stop. The worker entry
 * implements it over its parentPort; tests and in-process callers implement it directly.
 */
export interface WorkerHost {
  post(message: FromWorker): void;
  cancelled(): boolean;
  /** Aborts when the job is cancelled, for waits that cannot poll (decoding). */
  readonly signal: AbortSignal;
}

/** A host for running a job in this thread: messages go to `onMessage`, `signal` cancels. */
export function inProcessHost(onMessage: (message: FromWorker) => void, signal: AbortSignal = new AbortController().signal): WorkerHost {
  return {
    post: onMessage,
    cancelled: () => signal.aborted,
    signal,
  };
}
