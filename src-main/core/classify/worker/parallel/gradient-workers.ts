/**
 * The classification job's gradient threads: the engine's GradientThreads running gradient-worker.js, each
 * with a copy of the run's model.
 */
import { builtScriptPath } from '../../../engine/built-script-path.js';
import { GradientThreads } from '../../../engine/worker/parallel/gradient-threads.js';
import type { GradientWorkerInit, ShardJob, ShardResult } from './gradient-messages.js';

const SCRIPT = 'gradient-worker.js';

export type GradientWorkers = GradientThreads<GradientWorkerInit, ShardJob, ShardResult>;

export const GradientWorkers = {
  /** Starts `count` threads, each with the run's model on the job's backend; rejects if any cannot start. */
  start(count: number, init: GradientWorkerInit, scriptPath: string = builtScriptPath(SCRIPT, import.meta.url)): Promise<GradientWorkers> {
    return GradientThreads.start<GradientWorkerInit, ShardJob, ShardResult>(count, init, scriptPath);
  },
};
