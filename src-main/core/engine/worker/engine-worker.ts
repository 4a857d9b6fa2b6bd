/**
 * The worker_threads entry of the learning engine: one job (train or predict) at a time, driven by
 * ToWorker messages, reporting FromWorker messages. Started by TrainingWorker, never imported.
 */
import { parentPort } from 'node:worker_threads';
import { describeMessage, isToWorker } from '../message-guards.js';
import type { FromWorker } from '../job-messages.js';
import { runJob } from './run-job.js';

const port = parentPort;
if (port === null) throw new Error('training-worker.js runs only as a worker thread (see TrainingWorker).');

const post = (message: FromWorker): void => port.postMessage(message);
let active: AbortController | null = null;

port.on('message', (raw: unknown) => {
  if (!isToWorker(raw)) {
    post({ type: 'error', message: `The training worker got a message it does not understand (${describeMessage(raw)}).` });
    return;
  }
  if (raw.type === 'cancel') {
    active?.abort();
    return;
  }
  if (active !== null) {
    post({ type: 'error', message: 'The training worker is already running a job; it takes one at a time.' });
    return;
  }
  const controller = new AbortController();
  active = controller;
  const host = { post, cancelled: () => controller.signal.aborted, signal: controller.signal };
  void runJob(raw, host).finally(() => {
    active = null;
  });
});
