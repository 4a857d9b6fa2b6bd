/** The TensorFlow.js backends the learning engine can run on, fastest first. */
export const BACKEND_NAMES = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendAttempt {
  name: BackendName;
  error: string;
}

/** Which backend runs, why, and why each faster one did not. Recorded with every training run. */
export interface BackendChoice {
  name: BackendName;
  /** The name TensorFlow.js knows the backend by (`tensorflow`, `wasm`, `cpu`). */
  tfBackend: string;
  reason: string;
  tried: BackendAttempt[];
}

export const BACKEND_ENV_VAR = 'VSSL_TF_BACKEND';

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}
