import type { Core } from '../core/core.js';
import { isFinished } from '../core/jobs/job-repository.js';
import type { JobDto } from '../shared/dto.js';

const RECHECK_MS = 100;
const POLL_MS = 1000;

/**
 * Resolves with every job seen once none is queued or running: an import and the poster/proxy
 * jobs it set off. "All finished" must hold twice, RECHECK_MS apart, so a job queued at the
 * moment another ends is not missed.
 */
export function waitForAllJobs(core: Core): Promise<JobDto[]> {
  return new Promise((resolve, reject) => {
    let settledOnce = false;
    let timer: NodeJS.Timeout | null = null;
    const finish = (action: () => void) => {
      off();
      if (timer) clearTimeout(timer);
      action();
    };
    const check = () => {
      core.call('jobs:list', {}).then(
        (jobs) => {
          const idle = jobs.every((job) => isFinished(job.state));
          if (idle && settledOnce) return finish(() => resolve(jobs));
          settledOnce = idle;
          schedule(idle ? RECHECK_MS : POLL_MS);
        },
        (err: unknown) => finish(() => reject(err instanceof Error ? err : new Error(String(err)))),
      );
    };
    const schedule = (ms: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(check, ms);
    };
    // Events make the wait end promptly; the poll is a safety net, not the mechanism.
    const off = core.events.on('job:updated', (job) => {
      if (isFinished(job.state)) schedule(0);
    });
    check();
  });
}
