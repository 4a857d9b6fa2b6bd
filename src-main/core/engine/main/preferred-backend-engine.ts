import type { BackendName } from '../backend-choice.js';
import type { JobEngine, JobKind, JobOutcome } from '../job.js';

/**
 * An engine whose jobs try `preferred` first (the app's preferences): it adds `preferredBackend` to every
 * job's config on its way to the worker, so the choice reaches the worker with each job it starts. A job that
 * forces a backend, and VSSL_TF_BACKEND, still win (see selectJobBackend).
 */
export class PreferredBackendEngine implements JobEngine {
  constructor(
    private readonly inner: JobEngine,
    readonly preferred: BackendName,
  ) {}

  run<C, M extends { type: string }>(kind: JobKind<C, M>, config: C, onMessage: (message: M) => void, signal?: AbortSignal): Promise<JobOutcome> {
    // Every job config is an object (each extends BackendRequest); one that is not passes as it is.
    const withPreference: C =
      typeof config === 'object' && config !== null ? { ...config, preferredBackend: this.preferred } : config;
    return this.inner.run(kind, withPreference, onMessage, signal);
  }
}
