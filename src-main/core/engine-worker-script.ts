import { builtScriptPath } from './engine/built-script-path.js';
import { EngineWorker } from './engine/main/engine-worker-client.js';

/** The built script of the engine's worker thread (worker/engine-worker.ts). */
export function engineWorkerScriptPath(): string {
  return builtScriptPath('worker/engine-worker.js', import.meta.url);
}

/** A handle on a new engine worker thread, started by its first job. */
export function createEngineWorker(): EngineWorker {
  return new EngineWorker({ scriptPath: engineWorkerScriptPath });
}
