/** Every job the engine's worker runs: each pipeline registers its own. */
import { ANOMALY_JOBS } from '../anomaly/worker/jobs.js';
import { CLASSIFY_JOBS } from '../classify/worker/jobs.js';
import type { RegisteredJob } from '../engine/worker/job-runner.js';

export const ENGINE_JOBS: readonly RegisteredJob[] = [...CLASSIFY_JOBS, ...ANOMALY_JOBS];
