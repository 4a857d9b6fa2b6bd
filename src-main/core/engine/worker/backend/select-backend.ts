import * as tf from '@tensorflow/tfjs';
import {
  BACKEND_ENV_VAR,
  BACKEND_NAMES,
  isBackendName,
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
  type GpuAdapter,
  describeAdapter,
} from '../../backend-choice.js';
import { registerCpuKernels } from './register-cpu-kernels.js';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';
import { wasmBinaryDir } from './wasm-paths.js';
import { loadWebGpuBackend } from './webgpu-backend.js';

interface Loaded {
  tfBackend: string;
  detail: string;
  gpu: boolean;
  adapter?: GpuAdapter;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isModuleMissing(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && errorText(error).includes(specifier);
}

/** tfjs-node's binding says whether TensorFlow placed its kernels on a CUDA device. */
function nativeUsesGpu(): boolean {
  const binding = (tf.backend() as { binding?: { isUsingGpuDevice?: () => boolean } }).binding;
  return binding?.isUsingGpuDevice?.() === true;
}

/**
 * Both tfjs-node packages register a backend called `tensorflow`; a missing package is not an error, just
 * absent. tfjs-node-gpu without a usable CUDA (it needs CUDA 11.2 and cuDNN 8.1) runs on the CPU: refused, so
 * that webgpu gets its turn.
 */
async function loadNativeBackend(specifier: string, needsGpu: boolean): Promise<Loaded> {
  try {
    // A variable specifier: the package is optional and may not be installed, so it cannot be typed.
    const moduleName: string = specifier;
    await import(moduleName);
  } catch (error) {
    if (isModuleMissing(error, specifier)) throw new Error(`${specifier} is not installed`);
    throw new Error(`${specifier} failed to load: ${errorText(error)}`);
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${specifier} loaded but its backend did not initialise`);
  const gpu = nativeUsesGpu();
  if (needsGpu && !gpu) throw new Error(`${specifier} loaded but sees no CUDA GPU (it needs CUDA 11.2 and cuDNN 8.1)`);
  return { tfBackend: 'tensorflow', detail: gpu ? 'native TensorFlow on a CUDA GPU' : 'native TensorFlow', gpu };
}

async function loadWebGpu(forced: boolean): Promise<Loaded> {
  const adapter = await loadWebGpuBackend(forced);
  return { tfBackend: 'webgpu', detail: `WebGPU on ${describeAdapter(adapter)}`, gpu: !adapter.software, adapter };
}

async function loadWasmBackend(): Promise<Loaded> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmBinaryDir());
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const added = registerWasmTrainingKernels();
  const kernels = added.length > 0 ? `; added ${added.join(', ')} kernels` : '';
  return { tfBackend: 'wasm', detail: `WebAssembly ${simd ? 'with' : 'without'} SIMD${kernels}`, gpu: false };
}

async function loadCpuBackend(): Promise<Loaded> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  const fixed = registerCpuKernels();
  const kernels = fixed.length > 0 ? `; replaced ${fixed.join(', ')}` : '';
  return { tfBackend: 'cpu', detail: `plain JavaScript, the slowest${kernels}`, gpu: false };
}

/** `forced`: the user asked for this backend, so a software GPU adapter or a CPU-only tfjs-node-gpu will do. */
function load(name: BackendName, forced: boolean): Promise<Loaded> {
  switch (name) {
    case 'node-gpu':
      return loadNativeBackend('@tensorflow/tfjs-node-gpu', !forced);
    case 'webgpu':
      return loadWebGpu(forced);
    case 'node':
      return loadNativeBackend('@tensorflow/tfjs-node', false);
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

function chosen(name: BackendName, loaded: Loaded, reason: string, tried: BackendAttempt[]): BackendChoice {
  const choice: BackendChoice = { name, tfBackend: loaded.tfBackend, reason, tried, gpu: loaded.gpu };
  if (loaded.adapter !== undefined) choice.adapter = loaded.adapter;
  return choice;
}

/**
 * Activates the fastest backend that loads here (tfjs-node-gpu on a CUDA GPU → webgpu on a hardware adapter →
 * tfjs-node → wasm → cpu), or the one VSSL_TF_BACKEND forces, and says which and why. A forced backend that
 * cannot load is an error; a `preferred` one (the app's preferences) is tried first, and one that cannot load
 * is skipped with its reason.
 */
export async function selectBackend(env: NodeJS.ProcessEnv = process.env, preferred?: BackendName): Promise<BackendChoice> {
  const forced = forcedBackend(env);
  if (forced !== undefined) {
    try {
      const loaded = await load(forced, true);
      return chosen(forced, loaded, `forced by ${BACKEND_ENV_VAR}: ${loaded.detail}`, []);
    } catch (error) {
      throw new Error(`${BACKEND_ENV_VAR}=${forced} but that backend cannot load: ${errorText(error)}`);
    }
  }
  const tried: BackendAttempt[] = [];
  if (preferred !== undefined) {
    // The person chose it, so it is taken as a forced one would be (a software adapter will do); one that
    // cannot load here falls back to the usual order, and the reason says why.
    try {
      const loaded = await load(preferred, true);
      return chosen(preferred, loaded, `chosen by preference: ${loaded.detail}`, []);
    } catch (error) {
      tried.push({ name: preferred, error: `preferred, but ${errorText(error)}` });
    }
  }
  for (const name of BACKEND_NAMES) {
    if (name === preferred) continue;
    try {
      const loaded = await load(name, false);
      const skipped = tried.length > 0 ? ` (${tried.map((t) => `${t.name}: ${t.error}`).join('; ')})` : '';
      return chosen(name, loaded, `${loaded.detail}; the fastest backend that loads here${skipped}`, tried);
    } catch (error) {
      tried.push({ name, error: errorText(error) });
    }
  }
  throw new Error(`no TensorFlow.js backend loads: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`);
}
