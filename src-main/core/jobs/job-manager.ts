import type { JobDto, JobKind, JobResult } from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';
import type { EventBus } from '../events.js';
import { EtaEstimator } from './eta.js';
import { isFinished, type JobRepository } from './job-repository.js';

export interface JobContext {
  readonly jobId: number;
  readonly signal: AbortSignal;
  /** Report progress (0..1, or null when unknown). Persisted and broadcast at a bounded rate. */
  progress(fraction: number | null, message?: string): void;
  /** Throws a CANCELLED error once the person asked to cancel. */
  throwIfCancelled(): void;
}

export type JobRunner<R extends JobResult> = (ctx: JobContext) => Promise<R>;

/** Jobs of one kind run one at a time, in the order they were started. */
const PROGRESS_INTERVAL_MS = 200;

export class JobManager {
  private readonly controllers = new Map<number, AbortController>();
  private readonly chains = new Map<JobKind, Promise<void>>();
  private closed = false;
  private readonly eta = new EtaEstimator();

  constructor(
    private readonly repository: JobRepository,
    private readonly events: EventBus,
  ) {}

  list(): JobDto[] {
    return this.repository.list().map((job) => this.withEta(job));
  }

  get(id: number): JobDto {
    const job = this.repository.get(id);
    if (!job) throw new ApiError('NOT_FOUND', `There is no job ${id}.`);
    return this.withEta(job);
  }

  private withEta(job: JobDto): JobDto {
    return { ...job, etaSeconds: this.eta.current(job.id) };
  }

  /** Queues a job and returns it at once; `run` executes when the kind's earlier jobs are done. */
  start<R extends JobResult>(kind: JobKind, title: string, run: JobRunner<R>): JobDto {
    const job = this.repository.create(kind, title);
    this.events.emit('job:updated', job);
    const controller = new AbortController();
    this.controllers.set(job.id, controller);
    const previous = this.chains.get(kind) ?? Promise.resolve();
    const next = previous.then(() => this.execute(job.id, controller, run));
    this.chains.set(kind, next);
    return job;
  }

  /** Resolves when every job queued so far has finished (used by the CLI and tests). */
  async idle(): Promise<void> {
    const awaited = new Set<Promise<void>>();
    for (;;) {
      // A finishing job may queue another (an import queues proxies): wait for those too.
      const pending = [...this.chains.values()].filter((chain) => !awaited.has(chain));
      if (pending.length === 0) return;
      for (const chain of pending) awaited.add(chain);
      await Promise.all(pending);
    }
  }

  cancel(id: number): JobDto {
    const job = this.get(id);
    if (isFinished(job.state)) return job;
    const controller = this.controllers.get(id);
    controller?.abort();
    if (job.state === 'queued' || !controller) {
      return this.finish(id, { state: 'cancelled', message: 'Cancelled before it started' });
    }
    return this.update(id, { message: 'Cancelling…' });
  }

  clearFinished(): number {
    const ids = this.repository.removeFinished();
    for (const id of ids) this.events.emit('job:removed', { id });
    return ids.length;
  }

  /** Cancels everything still running; used when the project closes. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const controller of this.controllers.values()) controller.abort();
    await Promise.allSettled([...this.chains.values()]);
  }

  private async execute<R extends JobResult>(
    id: number,
    controller: AbortController,
    run: JobRunner<R>,
  ): Promise<void> {
    if (controller.signal.aborted || this.closed) {
      if (!isFinished(this.get(id).state)) this.finish(id, { state: 'cancelled', message: 'Cancelled' });
      this.controllers.delete(id);
      return;
    }
    this.update(id, { state: 'running', progress: 0, message: 'Starting' });
    let lastReport = 0;
    const ctx: JobContext = {
      jobId: id,
      signal: controller.signal,
      progress: (fraction, message) => {
        const now = Date.now();
        if (now - lastReport < PROGRESS_INTERVAL_MS) return;
        lastReport = now;
        this.update(id, {
          progress: fraction === null ? null : Math.min(1, Math.max(0, fraction)),
          ...(message !== undefined ? { message } : {}),
        });
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new ApiError('CANCELLED', 'Cancelled.');
      },
    };
    try {
      const result = await run(ctx);
      if (controller.signal.aborted) {
        this.finish(id, { state: 'cancelled', message: 'Cancelled', result });
      } else {
        this.finish(id, { state: 'succeeded', progress: 1, message: 'Done', result });
      }
    } catch (err) {
      if (controller.signal.aborted || (err instanceof ApiError && err.code === 'CANCELLED')) {
        this.finish(id, { state: 'cancelled', message: 'Cancelled' });
      } else {
        const message = err instanceof Error ? err.message : String(err);
        this.finish(id, { state: 'failed', message: 'Failed', error: message });
      }
    } finally {
      this.controllers.delete(id);
    }
  }

  private update(id: number, update: Parameters<JobRepository['update']>[1]): JobDto {
    if (this.closed && !update.state) return this.get(id);
    const stored = this.repository.update(id, update);
    const job = { ...stored, etaSeconds: this.eta.observe(id, stored.progress, stored.state === 'running') };
    this.events.emit('job:updated', job);
    return job;
  }

  private finish(id: number, update: Parameters<JobRepository['update']>[1]): JobDto {
    this.eta.forget(id);
    const job = this.repository.update(id, update);
    this.events.emit('job:updated', job);
    return job;
  }
}
