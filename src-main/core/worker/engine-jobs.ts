/** Every job the engine's worker runs: its own backend check, and each pipeline's jobs. */
import { ANOMALY_JOBS } from '../anomaly/worker/jobs.js';
import { CLASSIFY_JOBS } from '../classify/worker/jobs.js';
import { BACKEND_PROBE_JOB } from '../engine/worker/backend-probe-job.js';
import type { RegisteredJob } from '../engine/worker/job-runner.js';

export const ENGINE_JOBS: readonly RegisteredJob[] = [BACKEND_PROBE_JOB, ...CLASSIFY_JOBS, ...ANOMALY_JOBS];
