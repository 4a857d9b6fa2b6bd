/**
 * Time left for a running job, from how fast its progress moved lately: progress over the last minute (or
 * since it started, if sooner), so a job that speeds up or slows down is followed within a minute, and a
 * step or two of jitter does not swing the estimate. Unknown until the job has run a few seconds and moved.
 */
const WINDOW_MS = 60_000;
const MIN_SPAN_MS = 3_000;
const MIN_ADVANCE = 0.005;

interface Sample {
  atMs: number;
  progress: number;
}

interface Estimate {
  seconds: number;
  atMs: number;
}

export class EtaEstimator {
  private readonly samples = new Map<number, Sample[]>();
  private readonly estimates = new Map<number, Estimate>();

  /** Records a job's progress now and returns its new estimate (seconds left), or null while unknown. */
  observe(jobId: number, progress: number | null, running: boolean, atMs = Date.now()): number | null {
    if (!running || progress === null) {
      this.forget(jobId);
      return null;
    }
    const samples = this.samples.get(jobId) ?? [];
    const last = samples[samples.length - 1];
    // progress that went backwards starts a new phase (a run's prediction after training)
    if (last && progress < last.progress) samples.length = 0;
    samples.push({ atMs, progress });
    while (samples.length > 2 && samples[1]!.atMs <= atMs - WINDOW_MS) samples.shift();
    this.samples.set(jobId, samples);
    const first = samples[0]!;
    const span = atMs - first.atMs;
    const advance = progress - first.progress;
    if (span < MIN_SPAN_MS || advance < MIN_ADVANCE) {
      this.estimates.delete(jobId);
      return null;
    }
    const seconds = ((1 - progress) * span) / advance / 1000;
    this.estimates.set(jobId, { seconds, atMs });
    return seconds;
  }

  /** The latest estimate, counted down by the time since it was made; null when there is none. */
  current(jobId: number, atMs = Date.now()): number | null {
    const estimate = this.estimates.get(jobId);
    return estimate ? Math.max(0, estimate.seconds - (atMs - estimate.atMs) / 1000) : null;
  }

  forget(jobId: number): void {
    this.samples.delete(jobId);
    this.estimates.delete(jobId);
  }
}
