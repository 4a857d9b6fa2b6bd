/**
 * The worker_threads entry of the engine: it runs every registered job, one at a time, for the main
 * thread's EngineWorker. Started by the core (engine-worker-script.ts), never imported.
 */
import { parentPort } from 'node:worker_threads';
import { serveJobs } from '../engine/worker/serve-jobs.js';
import { ENGINE_JOBS } from './engine-jobs.js';

if (parentPort === null) throw new Error('engine-worker.js runs only as a worker thread (see EngineWorker).');
serveJobs(parentPort, ENGINE_JOBS);
