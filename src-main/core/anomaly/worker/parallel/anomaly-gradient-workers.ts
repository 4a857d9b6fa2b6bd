/** The anomaly training job's gradient threads: the engine's GradientThreads running anomaly-gradient-worker.js. */
import { builtScriptPath } from '../../../engine/built-script-path.js';
import { GradientThreads } from '../../../engine/worker/parallel/gradient-threads.js';
import type { AnomalyGradientInit, AnomalyShardJob, AnomalyShardResult } from './anomaly-shard.js';

const SCRIPT = 'anomaly-gradient-worker.js';

export type AnomalyGradientWorkers = GradientThreads<AnomalyGradientInit, AnomalyShardJob, AnomalyShardResult>;

export const AnomalyGradientWorkers = {
  /** Starts `count` threads, each with a copy of the run's model on the job's backend; rejects if any cannot start. */
  start(count: number, init: AnomalyGradientInit, scriptPath: string = builtScriptPath(SCRIPT, import.meta.url)): Promise<AnomalyGradientWorkers> {
    return GradientThreads.start<AnomalyGradientInit, AnomalyShardJob, AnomalyShardResult>(count, init, scriptPath);
  },
};
