import * as tf from '@tensorflow/tfjs';
import {
  BACKEND_ENV_VAR,
  BACKEND_NAMES,
  isBackendName,
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
} from '../../backend-choice.js';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';
import { wasmBinaryDir } from './wasm-paths.js';

interface Loaded {
  tfBackend: string;
  detail: string;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isModuleMissing(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && errorText(error).includes(specifier);
}

/** Both tfjs-node packages register a backend called `tensorflow`; a missing package is not an error, just absent. */
async function loadNativeBackend(specifier: string): Promise<Loaded> {
  try {
    // A variable specifier: the package is optional and may not be installed, so it cannot be typed.
    const moduleName: string = specifier;
    await import(moduleName);
  } catch (error) {
    if (isModuleMissing(error, specifier)) throw new Error(`${specifier} is not installed`);
    throw new Error(`${specifier} failed to load: ${errorText(error)}`);
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${specifier} loaded but its backend did not initialise`);
  return { tfBackend: 'tensorflow', detail: 'native TensorFlow' };
}

async function loadWasmBackend(): Promise<Loaded> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmBinaryDir());
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const added = registerWasmTrainingKernels();
  const kernels = added.length > 0 ? `; added ${added.join(', ')} kernels` : '';
  return { tfBackend: 'wasm', detail: `WebAssembly ${simd ? 'with' : 'without'} SIMD${kernels}` };
}

async function loadCpuBackend(): Promise<Loaded> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  return { tfBackend: 'cpu', detail: 'plain JavaScript, the slowest' };
}

function load(name: BackendName): Promise<Loaded> {
  switch (name) {
    case 'node-gpu':
      return loadNativeBackend('@tensorflow/tfjs-node-gpu');
    case 'node':
      return loadNativeBackend('@tensorflow/tfjs-node');
    case 'wasm':
      return loadWasmBackend();
    case 'cpu':
      return loadCpuBackend();
  }
}

/** Reads VSSL_TF_BACKEND; undefined when unset, an error for a value that names no backend. */
export function forcedBackend(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const raw = env[BACKEND_ENV_VAR]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!isBackendName(raw)) {
    throw new Error(`${BACKEND_ENV_VAR}=${raw} names no backend; use one of ${BACKEND_NAMES.join(', ')}`);
  }
  return raw;
}

/**
 * Activates the fastest backend that loads here (tfjs-node-gpu → tfjs-node → wasm → cpu), or the one
 * VSSL_TF_BACKEND forces, and says which and why. A forced backend that cannot load is an error.
 */
export async function selectBackend(env: NodeJS.ProcessEnv = process.env): Promise<BackendChoice> {
  const forced = forcedBackend(env);
  if (forced !== undefined) {
    try {
      const loaded = await load(forced);
      return { name: forced, tfBackend: loaded.tfBackend, reason: `forced by ${BACKEND_ENV_VAR}: ${loaded.detail}`, tried: [] };
    } catch (error) {
      throw new Error(`${BACKEND_ENV_VAR}=${forced} but that backend cannot load: ${errorText(error)}`);
    }
  }
  const tried: BackendAttempt[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      const loaded = await load(name);
      const skipped = tried.length > 0 ? ` (${tried.map((t) => `${t.name}: ${t.error}`).join('; ')})` : '';
      return { name, tfBackend: loaded.tfBackend, reason: `${loaded.detail}; the fastest backend that loads here${skipped}`, tried };
    } catch (error) {
      tried.push({ name, error: errorText(error) });
    }
  }
  throw new Error(`no TensorFlow.js backend loads: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`);
}
