import { BACKEND_ENV_VAR, type BackendChoice, type BackendName } from '../../backend-choice.js';
import { selectBackend } from './select-backend.js';

/** Activates the backend a job asks for, or the fastest that loads (VSSL_TF_BACKEND still applies). */
export function selectJobBackend(forced: BackendName | undefined): Promise<BackendChoice> {
  return selectBackend(forced === undefined ? process.env : { ...process.env, [BACKEND_ENV_VAR]: forced });
}
