import type { Core } from '../core/core.js';
import { isFinished } from '../core/jobs/job-repository.js';
import type { JobDto } from '../shared/dto.js';
import { formatTimeLeft } from '../shared/time-left.js';

const WIDTH = 24;

/**
 * Draws running jobs as one updating line on a terminal's stderr: the job that last reported,
 * and how many others are running. On anything that is not a TTY it draws nothing, so piped
 * output holds only results.
 */
export class ProgressBar {
  private readonly stream = process.stderr;
  private readonly enabled = process.stderr.isTTY === true;
  private readonly active = new Map<number, JobDto>();
  private readonly unsubscribe: () => void;
  private drawn = false;

  constructor(core: Core) {
    this.unsubscribe = this.enabled ? core.events.on('job:updated', (job) => this.update(job)) : () => {};
  }

  private update(job: JobDto): void {
    if (isFinished(job.state)) this.active.delete(job.id);
    else this.active.set(job.id, job);
    if (!isFinished(job.state)) this.draw(job);
  }

  private draw(job: JobDto): void {
    const known = job.progress !== null;
    const fraction = job.progress ?? 0;
    const filled = Math.round(fraction * WIDTH);
    const bar = known ? '#'.repeat(filled) + '-'.repeat(WIDTH - filled) : '.'.repeat(WIDTH);
    const percent = known ? `${Math.round(fraction * 100)}%`.padStart(4) : '    ';
    const others = this.active.size - 1;
    const left = formatTimeLeft(job.etaSeconds);
    const text =
      `[${bar}] ${percent}${left ? ` (${left})` : ''} ${job.title}${job.message ? `: ${job.message}` : ''}` +
      (others > 0 ? ` (+${others} more)` : '');
    const columns = this.stream.columns || 80;
    this.stream.write(`\r${text.slice(0, columns - 1).padEnd(columns - 1)}`);
    this.drawn = true;
  }

  stop(): void {
    this.unsubscribe();
    if (this.drawn) this.stream.write(`\r${' '.repeat((this.stream.columns || 80) - 1)}\r`);
    this.drawn = false;
  }
}
