import { backendProbeJob } from '../backend-probe.js';
import { registerJob } from './job-runner.js';
import { runSinglePassJob } from './single-pass-job.js';

/** The backend check: select the backend (runSinglePassJob reports it) and do nothing else. */
export const BACKEND_PROBE_JOB = registerJob(backendProbeJob, (config, host) => runSinglePassJob(config, host, () => Promise.resolve(true)));
