/**
 * The main thread's handle on the engine's worker thread. One long-lived worker per process: tfjs-node's
 * native addon fails to load in a second worker thread of a process
 * (https://github.com/tensorflow/tfjs/issues/8388), so jobs queue on this one rather than each getting a
 * worker of its own. It knows no pipeline: a job kind says which messages its job may send.
 */
import { Worker } from 'node:worker_threads';
import { describeMessage, isFinal, isMessageOf, type JobEngine, type JobKind, type JobOutcome, type ToWorker } from '../job.js';

export interface EngineWorkerOptions {
  /** The worker script (built JavaScript): the core's engine worker, or a stand-in in tests; a function is asked when the worker starts. */
  scriptPath: string | (() => string);
}

interface ActiveJob {
  accept(message: unknown): void;
  settle(outcome: { ok: JobOutcome } | { error: Error }): void;
  /** An error on this side (onMessage threw, a malformed message): reported once the worker has stopped the job. */
  failure: Error | null;
}

function unexpected(raw: unknown, during: string): string {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string'
    ? `the training worker sent a "${type}" message during ${during}`
    : `the training worker sent a message this app does not know (${describeMessage(raw)})`;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class EngineWorker implements JobEngine {
  private worker: Worker | null = null;
  private job: ActiveJob | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly terminated = new WeakSet<Worker>();

  constructor(private readonly options: EngineWorkerOptions) {}

  run<C, M extends { type: string }>(kind: JobKind<C, M>, config: C, onMessage: (message: M) => void, signal?: AbortSignal): Promise<JobOutcome> {
    // One job at a time: the worker runs jobs one after another.
    const result = this.queue.then(() => this.start(kind, config, onMessage, signal));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Stops the worker (a running job is rejected); the next job starts a new one. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.terminated.add(worker);
    await worker.terminate();
  }

  private start<C, M extends { type: string }>(kind: JobKind<C, M>, config: C, onMessage: (message: M) => void, signal: AbortSignal | undefined): Promise<JobOutcome> {
    if (signal?.aborted) return Promise.resolve('cancelled');
    const worker = this.ensureWorker();
    return new Promise<JobOutcome>((resolve, reject) => {
      const cancel = (): void => worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      signal?.addEventListener('abort', cancel, { once: true });
      const job: ActiveJob = {
        failure: null,
        accept: (raw) => {
          if (!isMessageOf(kind, raw)) throw new Error(unexpected(raw, kind.title));
          onMessage(raw);
        },
        settle: (outcome) => {
          signal?.removeEventListener('abort', cancel);
          this.job = null;
          if (kind.freshWorkerAfter === true && this.worker === worker) this.retire(worker);
          // An idle worker must not keep the process (a CLI command) alive.
          if (this.worker === worker) worker.unref();
          if ('ok' in outcome) resolve(outcome.ok);
          else reject(outcome.error);
        },
      };
      this.job = job;
      worker.ref();
      worker.postMessage({ type: 'run', job: kind.type, config } satisfies ToWorker);
    });
  }

  /** Lets `worker` go: the next job starts a new one. */
  private retire(worker: Worker): void {
    this.worker = null;
    this.terminated.add(worker);
    void worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const { scriptPath } = this.options;
    const worker = new Worker(typeof scriptPath === 'string' ? scriptPath : scriptPath());
    worker.unref();
    worker.on('message', (raw: unknown) => this.onMessage(worker, raw));
    worker.on('messageerror', (error: Error) => this.failJob(worker, `a message from the training worker could not be read: ${error.message}`));
    worker.on('error', (error: Error) => this.onGone(worker, `The training worker crashed: ${error.message}`));
    worker.on('exit', (code: number) =>
      this.onGone(
        worker,
        this.terminated.has(worker) ? 'The training worker was terminated.' : `The training worker exited unexpectedly (exit code ${code}).`,
      ),
    );
    this.worker = worker;
    return worker;
  }

  private onMessage(worker: Worker, raw: unknown): void {
    const job = this.job;
    if (worker !== this.worker || job === null) return;
    if (job.failure === null) {
      try {
        job.accept(raw);
      } catch (error) {
        job.failure = asError(error);
        worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      }
    }
    const message = raw as { type: string };
    if (typeof raw !== 'object' || raw === null || !isFinal(message)) return;
    if (message.type === 'error') {
      const error = new Error(message.message);
      if (message.stack !== undefined) error.stack = message.stack;
      job.settle({ error: job.failure ?? error });
    } else {
      job.settle(job.failure === null ? { ok: message.type } : { error: job.failure });
    }
  }

  /** Stops the job at the worker's next step and rejects it with `reason` once the worker confirms. */
  private failJob(worker: Worker, reason: string): void {
    const job = this.job;
    if (job === null || job.failure !== null) return;
    job.failure = new Error(reason);
    worker.postMessage({ type: 'cancel' } satisfies ToWorker);
  }

  /** The worker is gone: a waiting caller learns why at once. */
  private onGone(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.job?.settle({ error: new Error(reason) });
  }
}
