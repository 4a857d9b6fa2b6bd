/**
 * The epoch loop both training pipelines share: resume from the checkpoint when asked (refused when it
 * was made with other settings), then train epoch by epoch, checkpointing each before it is reported,
 * stopping at a cancel, and finishing (save the model, predict) after the last, or once the pipeline says
 * the epochs so far are enough. The pipeline supplies
 * what an epoch is; the loop owns the order of things and the messages that say where a run stands.
 */
import type { CommonMessage, JobHost, TrainingMessage } from '../job.js';

/** Where a run starts: the metrics of the epochs already done and the steps they took. */
export interface StartPoint<E> {
  history: E[];
  step: number;
}

/** What the loop needs of a checkpoint's state to resume from it. */
export interface ResumableState<E> {
  fingerprint: string;
  step: number;
  history: E[];
}

/**
 * The start of a run: epoch 1, or after the checkpoint's last epoch when `resume` is set and one exists.
 * `restore` puts the checkpoint into the run's parts; a checkpoint of other settings is refused with `mismatch`.
 */
export async function startPoint<C extends { state: ResumableState<unknown> }>(options: {
  resume: boolean;
  fingerprint: string;
  read: () => Promise<C | null>;
  restore: (checkpoint: C) => Promise<void>;
  mismatch: string;
  host: JobHost<CommonMessage<never>>;
  totalSteps?: number;
}): Promise<StartPoint<C['state']['history'][number]>> {
  if (!options.resume) return { history: [], step: 0 };
  const checkpoint = await options.read();
  if (checkpoint === null) {
    options.host.post({ type: 'progress', phase: 'train', done: 0, total: options.totalSteps ?? 0, message: 'No checkpoint yet: starting from epoch 1.' });
    return { history: [], step: 0 };
  }
  if (checkpoint.state.fingerprint !== options.fingerprint) throw new Error(options.mismatch);
  await options.restore(checkpoint);
  return { history: checkpoint.state.history, step: checkpoint.state.step };
}

/** One trained epoch: the steps it took and its metrics. */
export interface TrainedEpoch<E> {
  steps: number;
  metrics: E;
}

export interface EpochLoop<S, E> {
  host: JobHost<TrainingMessage<S, E> | CommonMessage<E>>;
  totalEpochs: number;
  start: StartPoint<E>;
  /** Runs before epoch `epoch` (1-based) trains; false stops the run as cancelled. */
  beforeEpoch?: (epoch: number) => Promise<boolean>;
  /** Trains epoch `epoch` from step `firstStep`; null when cancelled part way. */
  trainEpoch: (epoch: number, firstStep: number) => Promise<TrainedEpoch<E> | null>;
  /** Writes the checkpoint of a finished epoch (before the epoch is reported, so a reported epoch is never lost). */
  checkpoint: (at: { epoch: number; step: number; history: E[] }) => Promise<void>;
  /** Whether the epochs in `history` are enough before `totalEpochs` (the watched metric stopped improving); checked after each, and before the first of a resumed run. */
  stopAfter?: (history: E[]) => boolean;
  /** After an epoch is reported (the classifier says which clips it skipped). */
  afterEpoch?: () => void;
  /** After the last epoch: save the model and whatever follows; false when cancelled meanwhile. */
  finish: (history: E[]) => Promise<boolean>;
}

/** Runs the loop; ends by posting 'done' or 'cancelled'. */
export async function runEpochs<S, E>(loop: EpochLoop<S, E>): Promise<void> {
  const { host } = loop;
  const history = [...loop.start.history];
  let step = loop.start.step;
  const cancelled = (epochs: number): void => host.post({ type: 'cancelled', epochs });
  const enough = (): boolean => history.length > 0 && (loop.stopAfter?.(history) ?? false);
  for (let epoch = history.length + 1; epoch <= loop.totalEpochs && !enough(); epoch++) {
    if (loop.beforeEpoch !== undefined && !(await loop.beforeEpoch(epoch))) return cancelled(history.length);
    const trained = await loop.trainEpoch(epoch, step);
    if (trained === null) return cancelled(history.length);
    step += trained.steps;
    history.push(trained.metrics);
    await loop.checkpoint({ epoch, step, history });
    host.post({ type: 'epoch', metrics: trained.metrics, checkpointed: true });
    loop.afterEpoch?.();
    if (host.cancelled()) return cancelled(epoch);
  }
  if (!(await loop.finish(history))) return cancelled(history.length);
  host.post({ type: 'done', epochs: history.length, final: history.at(-1) ?? null });
}
