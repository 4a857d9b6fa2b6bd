/**
 * The worker_threads entry of one anomaly gradient thread: holds a copy of the run's SSMTL model and, per
 * step, computes one part's gradients from the weights the job sends. Started by AnomalyGradientWorkers, never imported.
 */
import type * as tf from '@tensorflow/tfjs';
import { selectJobBackend } from '../../../engine/worker/backend/job-backend.js';
import { setTrainableWeights } from '../../../engine/worker/parallel/flat-tensors.js';
import { serveGradientThread } from '../../../engine/worker/parallel/serve-gradient-thread.js';
import { buildAnomalyModel } from '../model/anomaly-model.js';
import { anomalyShardGradients, type AnomalyGradientInit, type AnomalyShardJob, type AnomalyShardResult } from './anomaly-shard.js';

serveGradientThread<AnomalyGradientInit, AnomalyShardJob, AnomalyShardResult, tf.LayersModel>({
  name: 'anomaly-gradient-worker.js',
  isInit: (value) => typeof (value as { spec?: unknown }).spec === 'object',
  async start(init) {
    await selectJobBackend({ backend: init.backend });
    return buildAnomalyModel(init.spec, { seed: 1 });
  },
  compute(model, job) {
    setTrainableWeights(model, job.weights);
    return anomalyShardGradients(model, job);
  },
});
