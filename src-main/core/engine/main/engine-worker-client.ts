/**
 * The main thread's handle on the learning engine's worker thread. One long-lived worker per
 * process: tfjs-node's native addon fails to load in a second worker thread of a process
 * (https://github.com/tensorflow/tfjs/issues/8388), so jobs queue on this one rather than each
 * getting a worker of its own.
 */
import { Worker } from 'node:worker_threads';
import { describeMessage, isAnomalyScoreMessage, isAnomalyTrainMessage, isFromWorker } from '../message-guards.js';
import type { AnomalyScoreConfig, AnomalyScoreFromWorker } from '../../anomaly/anomaly-score-job.js';
import type { AnomalyFromWorker, AnomalyRunConfig } from '../../anomaly/anomaly-train-job.js';
import type { FromWorker, PredictConfig, RunConfig, ToWorker } from '../job-messages.js';
import { trainingWorkerScriptPath } from '../built-script-path.js';

export type JobOutcome = 'done' | 'cancelled';
export type OnWorkerMessage = (message: FromWorker) => void;

export interface TrainingWorkerOptions {
  /** The worker script; the built training-worker.js by default (tests point it elsewhere). */
  scriptPath?: string;
}

interface ActiveJob {
  onMessage: OnWorkerMessage;
  settle(outcome: { ok: JobOutcome } | { error: Error }): void;
  /** An error on this side (onMessage threw, a malformed message): reported once the worker has stopped the job. */
  failure: Error | null;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Passes on the messages a job of this kind sends; any other fails the job (a bug, not the user's doing). */
function only<M extends FromWorker>(fits: (message: FromWorker) => message is M, job: string, onMessage: (message: M) => void): OnWorkerMessage {
  return (message) => {
    if (!fits(message)) throw new Error(`the training worker sent a "${message.type}" message during ${job}`);
    onMessage(message);
  };
}

export class TrainingWorker {
  private worker: Worker | null = null;
  private job: ActiveJob | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly terminated = new WeakSet<Worker>();

  constructor(private readonly options: TrainingWorkerOptions = {}) {}

  /**
   * Trains a run. Resolves 'done' or 'cancelled' (after `signal` aborts); rejects with the reason when
   * training fails or the worker dies. Every message of the job goes to `onMessage`, the final one too.
   */
  train(config: RunConfig, onMessage: OnWorkerMessage, signal?: AbortSignal): Promise<JobOutcome> {
    return this.enqueue({ type: 'train', config }, onMessage, signal);
  }

  /** Predicts clips with a saved model; settles like `train`. */
  predict(config: PredictConfig, onMessage: OnWorkerMessage, signal?: AbortSignal): Promise<JobOutcome> {
    return this.enqueue({ type: 'predict', config }, onMessage, signal);
  }

  /** Trains an anomaly run; settles like `train` ('anomaly-done' resolves 'done'). */
  trainAnomaly(config: AnomalyRunConfig, onMessage: (message: AnomalyFromWorker) => void, signal?: AbortSignal): Promise<JobOutcome> {
    return this.enqueue({ type: 'anomaly-train', config }, only(isAnomalyTrainMessage, 'anomaly training', onMessage), signal);
  }

  /** Scores videos with an anomaly run's model; settles like `train`. */
  scoreAnomaly(config: AnomalyScoreConfig, onMessage: (message: AnomalyScoreFromWorker) => void, signal?: AbortSignal): Promise<JobOutcome> {
    return this.enqueue({ type: 'anomaly-score', config }, only(isAnomalyScoreMessage, 'anomaly scoring', onMessage), signal);
  }

  /** Stops the worker (a running job is rejected); the next job starts a new one. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.terminated.add(worker);
    await worker.terminate();
  }

  /** One job at a time: the worker runs jobs one after another. */
  private enqueue(message: ToWorker, onMessage: OnWorkerMessage, signal: AbortSignal | undefined): Promise<JobOutcome> {
    const result = this.queue.then(() => this.start(message, onMessage, signal));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private start(message: ToWorker, onMessage: OnWorkerMessage, signal: AbortSignal | undefined): Promise<JobOutcome> {
    if (signal?.aborted) return Promise.resolve('cancelled');
    const worker = this.ensureWorker();
    return new Promise<JobOutcome>((resolve, reject) => {
      const cancel = (): void => worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      signal?.addEventListener('abort', cancel, { once: true });
      this.job = {
        onMessage,
        failure: null,
        settle: (outcome) => {
          signal?.removeEventListener('abort', cancel);
          this.job = null;
          // An idle worker must not keep the process (a CLI command) alive.
          if (this.worker === worker) worker.unref();
          if ('ok' in outcome) resolve(outcome.ok);
          else reject(outcome.error);
        },
      };
      worker.ref();
      worker.postMessage(message);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(this.options.scriptPath ?? trainingWorkerScriptPath());
    worker.unref();
    worker.on('message', (raw: unknown) => this.onMessage(worker, raw));
    worker.on('messageerror', (error: Error) => this.failJob(worker, `a message from the training worker could not be read: ${error.message}`));
    worker.on('error', (error: Error) => this.onGone(worker, `The training worker crashed: ${error.message}`));
    worker.on('exit', (code: number) =>
      this.onGone(
        worker,
        this.terminated.has(worker)
          ? 'The training worker was terminated.'
          : `The training worker exited unexpectedly (exit code ${code}).`,
      ),
    );
    this.worker = worker;
    return worker;
  }

  private onMessage(worker: Worker, raw: unknown): void {
    const job = this.job;
    if (worker !== this.worker || job === null) return;
    if (!isFromWorker(raw)) {
      this.failJob(worker, `the training worker sent a message this app does not know (${describeMessage(raw)})`);
      return;
    }
    if (job.failure === null) {
      try {
        job.onMessage(raw);
      } catch (error) {
        job.failure = asError(error);
        worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      }
    }
    if (raw.type === 'done' || raw.type === 'anomaly-done' || raw.type === 'cancelled') {
      const outcome: JobOutcome = raw.type === 'cancelled' ? 'cancelled' : 'done';
      job.settle(job.failure === null ? { ok: outcome } : { error: job.failure });
    } else if (raw.type === 'error') {
      const error = new Error(raw.message);
      if (raw.stack !== undefined) error.stack = raw.stack;
      job.settle({ error: job.failure ?? error });
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
