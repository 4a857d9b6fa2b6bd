/** How many threads an anomaly training step is split across. */
import type { BackendName } from '../../../engine/backend-choice.js';
import { MIN_ROWS_PER_SHARD, trainingThreads } from '../../../engine/worker/parallel/thread-split.js';
import type { AnomalyTrainSettings } from '../../jobs.js';

/** Encoder rows per source tube in a step: one sample each for the arrow of time, motion irregularity and the middle frame. */
const ROWS_PER_TUBE = 3;

/**
 * One part per thread (the settings' `threads`, 0 = every core, on wasm and cpu; one on tfjs-node, which uses every core itself, and on a GPU),
 * as long as each part keeps MIN_ROWS_PER_SHARD encoder rows: the default 16 tubes (48 rows) split in 2.
 */
export function anomalyStepThreads(settings: Pick<AnomalyTrainSettings, 'batchSize' | 'threads'>, backend: BackendName, cores: number): { threads: number; shards: number } {
  // A GPU backend runs the step on the GPU; splitting it across threads is for the CPU backends.
  const threads = backend === 'wasm' || backend === 'cpu' ? trainingThreads(settings.threads ?? 0, backend, cores) : 1;
  const byRows = Math.floor((ROWS_PER_TUBE * settings.batchSize) / MIN_ROWS_PER_SHARD);
  return { threads, shards: Math.max(1, Math.min(threads, byRows, settings.batchSize)) };
}
