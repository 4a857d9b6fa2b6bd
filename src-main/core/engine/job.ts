/**
 * The engine's job protocol, the same for every pipeline. A job kind (`defineJob`) names a job and the
 * messages it sends besides the common ones; the main thread starts it with a config, the worker runs
 * it and reports through a JobHost. Every job ends with exactly one of 'done', 'cancelled' or 'error'.
 * No TensorFlow.js here: the main thread loads this file.
 */
import type { BackendChoice, BackendName } from './backend-choice.js';

/** What a job is doing when it reports progress. */
export type ProgressPhase = 'decode' | 'train' | 'predict' | 'score';

/** The messages every job sends; `Final` is what its 'done' carries (a training job's last epoch). */
export type CommonMessage<Final = null> =
  | { type: 'started'; backend: BackendChoice }
  | { type: 'progress'; phase: ProgressPhase; done: number; total: number; message: string }
  | { type: 'done'; epochs: number; final: Final | null }
  | { type: 'cancelled'; epochs: number }
  | { type: 'error'; message: string; stack?: string };

export type CommonType = CommonMessage['type'];

/** A training job's own reports: a throttled step (a few per second) and every finished epoch. */
export type TrainingMessage<Step, Epoch> =
  | { type: 'step'; metrics: Step }
  | { type: 'epoch'; metrics: Epoch; checkpointed: boolean };

/** A job's messages: the common ones and its own. */
export type JobMessage<Own extends { type: string }, Final = null> = CommonMessage<Final> | Own;

/** A kind of job: its name and the message types it adds to the common ones. */
export interface JobKind<Config, Message extends { type: string }> {
  readonly type: string;
  /** What the job does, for error texts: "training", "anomaly scoring". */
  readonly title: string;
  readonly messages: readonly string[];
  /**
   * The worker that ran it is replaced afterwards: training takes gigabytes of wasm heap, which never shrinks,
   * and the next run plans its step memory on a whole heap.
   */
  readonly freshWorkerAfter?: boolean;
  /** Phantom: ties the kind to its config and messages at compile time. */
  readonly _types?: { config: Config; message: Message };
}

/** Declares a job kind; `messages` lists the types of its own messages (the common ones are implied). */
export function defineJob<Config, Message extends { type: string }>(kind: {
  type: string;
  title: string;
  messages: readonly Exclude<Message['type'], CommonType>[];
  freshWorkerAfter?: boolean;
}): JobKind<Config, Message> {
  return kind;
}

/**
 * What every job config may carry: a backend to force (tests, `VSSL_TF_BACKEND`), else the one the app's
 * preferences name (tried first; VSSL_TF_BACKEND still wins), else the fastest that loads.
 */
export interface BackendRequest {
  backend?: BackendName;
  preferredBackend?: BackendName;
}

/** Where a job reports to and learns it should stop: the worker's port, or a caller in this thread. */
export interface JobHost<M> {
  post(message: M): void;
  cancelled(): boolean;
  /** Aborts when the job is cancelled, for waits that cannot poll (decoding). */
  readonly signal: AbortSignal;
}

/** A host for running a job in this thread: messages go to `onMessage`, `signal` cancels. */
export function inProcessHost<M>(onMessage: (message: M) => void, signal: AbortSignal = new AbortController().signal): JobHost<M> {
  return { post: onMessage, cancelled: () => signal.aborted, signal };
}

/** How a job settles: it ran to its end, or stopped when asked to. Failures reject. */
export type JobOutcome = 'done' | 'cancelled';

/** What runs jobs: the engine's worker thread, or the same runners in this thread (tests, scripts). */
export interface JobEngine {
  /**
   * Runs one job. Resolves 'done' or 'cancelled' (after `signal` aborts); rejects with the reason when the
   * job fails or the worker dies. Every message of the job goes to `onMessage`, the final one too.
   */
  run<C, M extends { type: string }>(job: JobKind<C, M>, config: C, onMessage: (message: M) => void, signal?: AbortSignal): Promise<JobOutcome>;
}

/** Messages to the worker: run a job of a registered kind, or cancel the running one. */
export type ToWorker = { type: 'run'; job: string; config: unknown } | { type: 'cancel' };

const COMMON_TYPES: ReadonlySet<string> = new Set<CommonType>(['started', 'progress', 'done', 'cancelled', 'error']);

function typeOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type : null;
}

/**
 * Shallow check of a message from the worker: both ends are this app, so a message of another shape means
 * a version mix-up or a bug, and is reported as such rather than acted on.
 */
export function isMessageOf<M extends { type: string }>(job: JobKind<unknown, M>, value: unknown): value is M {
  const type = typeOf(value);
  return type !== null && (COMMON_TYPES.has(type) || job.messages.includes(type));
}

export function isToWorker(value: unknown): value is ToWorker {
  const type = typeOf(value);
  if (type === 'cancel') return true;
  if (type !== 'run') return false;
  const { job, config } = value as { job?: unknown; config?: unknown };
  return typeof job === 'string' && typeof config === 'object' && config !== null;
}

/** Whether a message ends its job. */
export function isFinal(message: { type: string }): message is Extract<CommonMessage<unknown>, { type: 'done' | 'cancelled' | 'error' }> {
  return message.type === 'done' || message.type === 'cancelled' || message.type === 'error';
}

/** A short description of an unexpected message for an error text. */
export function describeMessage(value: unknown): string {
  const type = typeOf(value);
  return type === null ? typeof value : `type "${type}"`;
}
