/**
 * A training job's handle on its gradient threads, whatever the pipeline: starts them with the pipeline's
 * init (each builds its copy of the model), sends each its shard of a step and collects the gradients. A
 * thread that crashes or exits fails the step, and so the run, with a message saying which thread and why.
 */
import { Worker } from 'node:worker_threads';
import { isFromGradientThread, type FromGradientThread, type GradientsResult, type ToGradientThread, type WeightsJob } from './gradient-messages.js';

interface Pending<Result> {
  resolve(result: Result): void;
  reject(error: Error): void;
}

class GradientThread<Init, Job extends WeightsJob, Result extends GradientsResult> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending<Result>>();
  private nextId = 1;
  private starting: { resolve(): void; reject(error: Error): void } | null = null;
  private gone: Error | null = null;
  private closing = false;

  constructor(
    scriptPath: string,
    readonly label: string,
  ) {
    this.worker = new Worker(scriptPath);
    this.worker.on('message', (raw: unknown) => this.onMessage(raw));
    this.worker.on('error', (error: Error) => this.fail(`${this.label} crashed: ${error.message}`));
    this.worker.on('exit', (code: number) => {
      if (!this.closing) this.fail(`${this.label} exited unexpectedly (exit code ${code}).`);
    });
  }

  start(init: Init): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.starting = { resolve, reject };
      this.post({ type: 'init', ...init });
    });
  }

  compute(job: Job): Promise<Result> {
    if (this.gone !== null) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'shard', id, ...job }, [job.weights.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private post(message: ToGradientThread<Init, Job>, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private onMessage(raw: unknown): void {
    if (!isFromGradientThread<Result>(raw)) {
      this.fail(`${this.label} sent a message this app does not know.`);
      return;
    }
    if (raw.type === 'ready') {
      this.starting?.resolve();
      this.starting = null;
      return;
    }
    if (raw.type === 'error') {
      if (raw.id === null) this.fail(`${this.label}: ${raw.message}`);
      else this.settle(raw.id, (p) => p.reject(new Error(`${this.label}: ${raw.message}`)));
      return;
    }
    const { type: _type, id, ...result } = raw as Extract<FromGradientThread<Result>, { type: 'gradients' }>;
    this.settle(id, (p) => p.resolve(result as unknown as Result));
  }

  private settle(id: number, action: (pending: Pending<Result>) => void): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    action(pending);
  }

  private fail(reason: string): void {
    if (this.gone !== null) return;
    this.gone = new Error(reason);
    this.starting?.reject(this.gone);
    this.starting = null;
    for (const pending of this.pending.values()) pending.reject(this.gone);
    this.pending.clear();
  }
}

export class GradientThreads<Init, Job extends WeightsJob, Result extends GradientsResult> {
  private constructor(private readonly threads: GradientThread<Init, Job, Result>[]) {}

  /** Starts `count` threads running `scriptPath`, each given `init`; rejects if any cannot start. */
  static async start<Init, Job extends WeightsJob, Result extends GradientsResult>(count: number, init: Init, scriptPath: string): Promise<GradientThreads<Init, Job, Result>> {
    const threads = Array.from({ length: count }, (_, i) => new GradientThread<Init, Job, Result>(scriptPath, `Training thread ${i + 2} of ${count + 1}`));
    const pool = new GradientThreads(threads);
    try {
      await Promise.all(threads.map((t) => t.start(init)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get count(): number {
    return this.threads.length;
  }

  /** Computes a shard on thread `index` (0-based); its `weights` buffer is transferred, so pass each thread its own. */
  compute(index: number, job: Job): Promise<Result> {
    const thread = this.threads[index];
    if (thread === undefined) return Promise.reject(new Error(`There is no gradient thread ${index}; this job has ${this.threads.length}.`));
    return thread.compute(job);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}
