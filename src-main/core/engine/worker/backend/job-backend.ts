import { BACKEND_ENV_VAR, type BackendChoice } from '../../backend-choice.js';
import type { BackendRequest } from '../../job.js';
import { selectBackend } from './select-backend.js';

/**
 * Activates the backend a job forces, else VSSL_TF_BACKEND's, else the preferred one, else the fastest that
 * loads.
 */
export function selectJobBackend(request: BackendRequest): Promise<BackendChoice> {
  const env = request.backend === undefined ? process.env : { ...process.env, [BACKEND_ENV_VAR]: request.backend };
  return selectBackend(env, request.backend === undefined ? request.preferredBackend : undefined);
}
