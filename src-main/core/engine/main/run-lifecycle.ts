/**
 * A run's life on the main side, the same for classifier and anomaly runs: queued as a job, running,
 * its engine messages recorded as they arrive (backend, progress, steps, epochs), and finished as
 * succeeded, cancelled or failed — every change written to its run table and announced.
 */
import type { JobDto, JobResult } from '../../../shared/dto.js';
import { ApiError } from '../../../shared/errors.js';
import { nowIso } from '../../clock.js';
import type { JobContext, JobManager, JobRunner } from '../../jobs/job-manager.js';
import type { JobOutcome } from '../job.js';
import type { RunStateUpdate } from './run-state-columns.js';

/** What the lifecycle needs of a run table: reading a run (to announce it) and updating its state columns. */
export interface RunStore<Run> {
  get(id: number): Run | null;
  update(id: number, update: RunStateUpdate): void;
}

/** Where a training job's steps and epochs go: the run's metrics tables and their live events. */
export interface TrainingRecorder<Step, Epoch> {
  step(metrics: Step): void;
  epoch(metrics: Epoch): void;
}

/** The messages the lifecycle records itself; a service handles the rest (predictions, tubes, scores). */
type RecordedMessage<Step, Epoch> =
  | { type: 'started'; backend: { name: string; reason: string } }
  | { type: 'progress'; done: number; total: number; message: string }
  | { type: 'step'; metrics: Step }
  | { type: 'epoch'; metrics: Epoch };

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A job's progress, as the task panel shows it. */
export function reportProgress(ctx: JobContext, message: { done: number; total: number; message: string }): void {
  ctx.progress(message.total > 0 ? message.done / message.total : null, message.message);
}

function isCancelled(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'CANCELLED';
}

export class RunLifecycle<Run extends { status: string }> {
  constructor(
    private readonly store: RunStore<Run>,
    private readonly jobs: JobManager,
    private readonly announce: (run: Run) => void,
  ) {}

  update(runId: number, update: RunStateUpdate): void {
    this.store.update(runId, update);
    this.emit(runId);
  }

  /** Ends the run's job: no job any more, and the time it ended. */
  finish(runId: number, update: RunStateUpdate): void {
    this.update(runId, { ...update, jobId: null, finishedAt: nowIso() });
  }

  emit(runId: number): void {
    const run = this.store.get(runId);
    if (run) this.announce(run);
  }

  /** Starts a job for the run and records it as the run's job, with `state`: what else the run becomes meanwhile. */
  startJob<R extends JobResult>(runId: number, title: string, body: JobRunner<R>, state: RunStateUpdate = {}): JobDto {
    const job = this.jobs.start('train', title, body);
    this.update(runId, { ...state, jobId: job.id });
    return job;
  }

  /** Queues the run's training: it shows as queued until the job starts. */
  queue<R extends JobResult>(runId: number, title: string, body: JobRunner<R>): JobDto {
    return this.startJob(runId, title, body, { status: 'queued', error: null, finishedAt: null });
  }

  /**
   * Cancels the run's job. A job cancelled before it started never runs its body, so a run still queued
   * is finished here. Returns the job as the manager left it.
   */
  cancelJob(runId: number, jobId: number): JobDto {
    const job = this.jobs.cancel(jobId);
    if (job.state === 'cancelled' && this.store.get(runId)?.status === 'queued') this.finish(runId, { status: 'cancelled', error: null });
    return job;
  }

  /**
   * Runs a training job to its end and records how it ended: succeeded with a model, cancelled (the job
   * then ends CANCELLED, saying `what` was cancelled) or failed with the reason.
   */
  async train<R>(runId: number, what: string, run: () => Promise<JobOutcome>, summary: () => R): Promise<R> {
    this.update(runId, { status: 'running', startedAt: nowIso() });
    try {
      const outcome = await run();
      if (outcome === 'cancelled') {
        this.finish(runId, { status: 'cancelled', error: null });
        throw new ApiError('CANCELLED', `${what} cancelled.`);
      }
      this.finish(runId, { status: 'succeeded', error: null, hasModel: true });
      return summary();
    } catch (error) {
      if (!isCancelled(error)) this.finish(runId, { status: 'failed', error: errorText(error) });
      throw error;
    }
  }

  /**
   * Records the messages every job shares with the run (its backend, its progress in the task panel) and a
   * training job's steps and epochs; false for a message the caller handles itself.
   */
  record<Step, Epoch>(runId: number, message: { type: string }, ctx: JobContext, recorder?: TrainingRecorder<Step, Epoch>): boolean {
    const m = message as RecordedMessage<Step, Epoch>;
    switch (m.type) {
      case 'started':
        this.update(runId, { backend: m.backend.name, backendReason: m.backend.reason });
        return true;
      case 'progress':
        reportProgress(ctx, m);
        return true;
      case 'step':
        if (recorder === undefined) return false;
        recorder.step(m.metrics);
        return true;
      case 'epoch':
        if (recorder === undefined) return false;
        recorder.epoch(m.metrics);
        this.emit(runId);
        return true;
      default:
        return false;
    }
  }
}
