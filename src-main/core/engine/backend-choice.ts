import { ENGINE_BACKENDS } from '../../shared/prefs.js';

/** The TensorFlow.js backends the learning engine can run on, fastest first (the preferences offer the same). */
export const BACKEND_NAMES = ENGINE_BACKENDS;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendAttempt {
  name: BackendName;
  error: string;
}

/** The WebGPU adapter a run computes on, as Dawn reports it. */
export interface GpuAdapter {
  vendor: string;
  architecture: string;
  description: string;
  /** A CPU rasteriser posing as a GPU (Mesa's llvmpipe/lavapipe, SwiftShader): used only when forced. */
  software: boolean;
  /** The largest buffer and storage binding the device allows, in bytes: a step's memory budget starts here. */
  maxBufferBytes: number;
  maxBindingBytes: number;
}

/** Which backend runs, why, and why each faster one did not. Recorded with every training run. */
export interface BackendChoice {
  name: BackendName;
  /** The name TensorFlow.js knows the backend by (`tensorflow`, `webgpu`, `wasm`, `cpu`). */
  tfBackend: string;
  reason: string;
  tried: BackendAttempt[];
  /** True when the backend computes on a hardware GPU: the defaults then use the larger input. */
  gpu: boolean;
  /** The webgpu backend's adapter. */
  adapter?: GpuAdapter;
}

export const BACKEND_ENV_VAR = 'VSSL_TF_BACKEND';

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

/** "NVIDIA (ampere): NVIDIA GeForce RTX 3060", as runs record and the Train view shows an adapter. */
export function describeAdapter(adapter: GpuAdapter): string {
  const name = adapter.description.trim() || 'unnamed adapter';
  const vendor = [adapter.vendor, adapter.architecture].filter((s) => s.trim() !== '');
  const kind = adapter.software ? ', a software adapter' : '';
  return `${vendor.length > 0 ? `${vendor.join(' ')}: ` : ''}${name}${kind}`;
}
