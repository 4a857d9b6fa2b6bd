/**
 * The engine's worker thread loop: one job at a time, driven by ToWorker messages on `port`, each job
 * run by its registered runner and reporting its messages back on the port.
 */
import type { MessagePort } from 'node:worker_threads';
import { describeMessage, isToWorker, type CommonMessage } from '../job.js';
import { findJob, runJob, type RegisteredJob } from './job-runner.js';

export function serveJobs(port: MessagePort, jobs: readonly RegisteredJob[]): void {
  const post = (message: CommonMessage<never> | { type: string }): void => port.postMessage(message);
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
    let job: RegisteredJob;
    try {
      job = findJob(jobs, raw.job);
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const controller = new AbortController();
    active = controller;
    const host = { post, cancelled: () => controller.signal.aborted, signal: controller.signal };
    void runJob(job, raw.config, host).finally(() => {
      active = null;
    });
  });
}
