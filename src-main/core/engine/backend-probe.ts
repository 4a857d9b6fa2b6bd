/**
 * Which backend jobs will compute on, asked of the engine's worker once per engine: the main thread never
 * loads TensorFlow.js, yet the Train view's defaults (input size) follow the backend that actually loads.
 */
import type { BackendChoice } from './backend-choice.js';
import { defineJob, type BackendRequest, type CommonMessage, type JobEngine } from './job.js';

/** Selects the backend as a job would, reports it in 'started', and ends. */
export const backendProbeJob = defineJob<BackendRequest, CommonMessage>({ type: 'backend-probe', title: 'backend check', messages: [] });

const probes = new WeakMap<JobEngine, Promise<BackendChoice>>();

async function probe(engine: JobEngine): Promise<BackendChoice> {
  let choice: BackendChoice | null = null;
  await engine.run(backendProbeJob, {}, (message) => {
    if (message.type === 'started') choice = message.backend;
  });
  if (choice === null) throw new Error('the engine ended its backend check without naming a backend');
  return choice;
}

/** The backend `engine` computes on; asked once, again after a failed check. */
export function probeBackend(engine: JobEngine): Promise<BackendChoice> {
  const known = probes.get(engine);
  if (known !== undefined) return known;
  const asked = probe(engine);
  probes.set(engine, asked);
  asked.catch(() => probes.delete(engine));
  return asked;
}
