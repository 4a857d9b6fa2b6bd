/**
 * The worker side of the job protocol: a pipeline registers each job it runs (`registerJob`), and the
 * engine runs registered jobs in its worker thread (serve-jobs.ts) or in this thread (`inProcessEngine`).
 */
import type { CommonMessage, JobEngine, JobHost, JobKind, JobOutcome } from '../job.js';

/** A job kind and the function that runs it, with their types erased so one list can hold every job. */
export interface RegisteredJob {
  readonly type: string;
  /** Runs the job; it ends by posting 'done' or 'cancelled', and throws on failure. */
  run(config: unknown, host: JobHost<CommonMessage<never> | { type: string }>): Promise<void>;
}

/** Registers `run` as the runner of jobs of `kind`. The config comes from this app's main thread, checked by its service. */
export function registerJob<C, M extends { type: string }>(kind: JobKind<C, M>, run: (config: C, host: JobHost<M>) => Promise<void>): RegisteredJob {
  return { type: kind.type, run: (config, host) => run(config as C, host) };
}

/** Finds a job's runner; a kind nobody registered is a bug (a job added without its runner). */
export function findJob(jobs: readonly RegisteredJob[], type: string): RegisteredJob {
  const job = jobs.find((j) => j.type === type);
  if (job === undefined) throw new Error(`No runner is registered for "${type}" jobs (registered: ${jobs.map((j) => j.type).join(', ')}).`);
  return job;
}

/** Runs a job so that it always ends with exactly one of 'done', 'cancelled' or 'error': a job that throws is reported, never left for the caller to wait on. */
export async function runJob(job: RegisteredJob, config: unknown, host: JobHost<CommonMessage<never> | { type: string }>): Promise<void> {
  try {
    await job.run(config, host);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    host.post({ type: 'error', message: err.message, ...(err.stack === undefined ? {} : { stack: err.stack }) });
  }
}

/** Runs jobs in this thread, on whatever backend each job selects: a failure rejects with the job's own error. */
export function inProcessEngine(jobs: readonly RegisteredJob[]): JobEngine {
  return {
    async run<C, M extends { type: string }>(kind: JobKind<C, M>, config: C, onMessage: (message: M) => void, signal = new AbortController().signal): Promise<JobOutcome> {
      let outcome: JobOutcome = 'done';
      await findJob(jobs, kind.type).run(config, {
        post: (message) => {
          if (message.type === 'cancelled') outcome = 'cancelled';
          onMessage(message as M);
        },
        cancelled: () => signal.aborted,
        signal,
      });
      return outcome;
    },
  };
}
