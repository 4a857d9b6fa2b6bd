/**
 * The worker_threads entry of one gradient thread: holds a copy of the run's model and, per step, computes
 * one shard's gradients from the weights the job sends. Started by GradientWorkers, never imported.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../models/build-model.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import { selectJobBackend } from '../../../engine/worker/backend/job-backend.js';
import { flattenTensors, setTrainableWeights } from './flat-tensors.js';
import { isToGradientWorker, type FromGradientWorker, type GradientWorkerInit, type ShardJob } from './gradient-messages.js';
import { shardGradients } from './shard-gradients.js';

const port = parentPort;
if (port === null) throw new Error('gradient-worker.js runs only as a worker thread (see GradientWorkers).');

const post = (message: FromGradientWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
let ready: Promise<{ model: tf.LayersModel; init: GradientWorkerInit }> | null = null;

async function start(init: GradientWorkerInit): Promise<{ model: tf.LayersModel; init: GradientWorkerInit }> {
  await selectJobBackend({ backend: init.backend });
  return { model: buildModel(modelSpecFromSettings(init.settings, init.classes, init.heads)), init };
}

async function compute(model: tf.LayersModel, init: GradientWorkerInit, id: number, job: ShardJob): Promise<void> {
  setTrainableWeights(model, job.weights);
  const result = await shardGradients(model, init.settings, job, init.heads);
  try {
    const grads = flattenTensors(result.grads);
    post({ type: 'gradients', id, grads, values: result.values, weakProbs: result.weakProbs }, [grads.buffer as ArrayBuffer]);
  } finally {
    tf.dispose(result.grads);
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

port.on('message', (raw: unknown) => {
  if (!isToGradientWorker(raw)) {
    post({ type: 'error', id: null, message: 'A gradient thread got a message it does not understand.' });
    return;
  }
  if (raw.type === 'init') {
    ready = start(raw);
    ready.then(
      () => post({ type: 'ready' }),
      (error: unknown) => post({ type: 'error', id: null, message: `A gradient thread could not start: ${describe(error)}` }),
    );
    return;
  }
  if (ready === null) {
    post({ type: 'error', id: raw.id, message: 'A gradient thread got a step before its model.' });
    return;
  }
  ready
    .then(({ model, init }) => compute(model, init, raw.id, raw))
    .catch((error: unknown) => post({ type: 'error', id: raw.id, message: describe(error) }));
});
