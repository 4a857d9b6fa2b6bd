/**
 * The worker_threads entry of one classification gradient thread: holds a copy of the run's model and, per
 * step, computes one shard's gradients from the weights the job sends. Started by GradientWorkers, never imported.
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../models/build-model.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import { selectJobBackend } from '../../../engine/worker/backend/job-backend.js';
import { flattenTensors, setTrainableWeights } from '../../../engine/worker/parallel/flat-tensors.js';
import { serveGradientThread } from '../../../engine/worker/parallel/serve-gradient-thread.js';
import type { GradientWorkerInit, ShardJob, ShardResult } from './gradient-messages.js';
import { shardGradients } from './shard-gradients.js';

interface State {
  model: tf.LayersModel;
  init: GradientWorkerInit;
}

serveGradientThread<GradientWorkerInit, ShardJob, ShardResult, State>({
  name: 'gradient-worker.js',
  isInit: (value) => typeof (value as { settings?: unknown }).settings === 'object',
  async start(init) {
    await selectJobBackend({ backend: init.backend });
    return { model: buildModel(modelSpecFromSettings(init.settings, init.classes, init.heads)), init };
  },
  async compute({ model, init }, job) {
    setTrainableWeights(model, job.weights);
    const result = await shardGradients(model, init.settings, job, init.heads);
    try {
      return { grads: flattenTensors(result.grads), values: result.values, weakProbs: result.weakProbs };
    } finally {
      tf.dispose(result.grads);
    }
  },
});
