import type { BrowserWindow } from 'electron';
import type { Core } from '../core/core.js';
import { isFinished } from '../core/jobs/job-repository.js';
import type { JobDto } from '../shared/dto.js';

/** No bar (Electron's -1). */
export const NO_PROGRESS = -1;
/** Electron shows any value above 1 as an indeterminate bar. */
export const INDETERMINATE = 2;

/**
 * What the taskbar (Windows, Linux Unity) or dock (macOS) shows for the jobs running now: their mean
 * progress, an indeterminate bar while none of them knows its amount of work, nothing when idle.
 */
export function taskbarProgress(running: Iterable<JobDto>): number {
  const jobs = [...running].filter((job) => !isFinished(job.state));
  if (jobs.length === 0) return NO_PROGRESS;
  const known = jobs.map((job) => job.progress).filter((p): p is number => p !== null);
  if (known.length === 0) return INDETERMINATE;
  return known.reduce((sum, p) => sum + p, 0) / known.length;
}

/** Keeps the window's taskbar/dock progress in step with the project's jobs. */
export function installTaskbarProgress(core: Core, getWindow: () => BrowserWindow | null): void {
  const running = new Map<number, JobDto>();
  let shown = NO_PROGRESS;
  const show = () => {
    const value = taskbarProgress(running.values());
    // job updates come several times a second; the OS call only when the bar visibly changes
    if (Math.abs(value - shown) < 0.005 && (value === NO_PROGRESS) === (shown === NO_PROGRESS)) return;
    shown = value;
    getWindow()?.setProgressBar(value);
  };
  core.events.on('job:updated', (job) => {
    if (isFinished(job.state)) running.delete(job.id);
    else running.set(job.id, job);
    show();
  });
  core.events.on('job:removed', ({ id }) => {
    running.delete(id);
    show();
  });
  core.events.on('project:changed', () => {
    running.clear();
    show();
  });
}
