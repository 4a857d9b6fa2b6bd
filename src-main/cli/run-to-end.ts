import type { Core } from '../core/core.js';
import type { JobDto } from '../shared/dto.js';
import { cancelOnInterrupt } from './cancel-on-interrupt.js';
import { ProgressBar } from './progress-bar.js';
import { waitForAllJobs } from './wait-for-jobs.js';

/** Waits for a job the command started (progress on a TTY, Ctrl+C cancels) and returns its end state. */
export async function runJobToEnd(core: Core, jobId: number, what: string): Promise<JobDto> {
  const bar = new ProgressBar(core);
  const stopListening = cancelOnInterrupt(core, jobId, what);
  try {
    const jobs = await waitForAllJobs(core);
    const job = jobs.find((j) => j.id === jobId);
    if (!job) throw new Error(`the ${what} job ${jobId} disappeared.`);
    return job;
  } finally {
    stopListening();
    bar.stop();
  }
}
