/**
 * TensorFlow.js's webgpu backend in Node, on Dawn (the npm package `webgpu`, whose prebuilt dawn.node reaches
 * Vulkan on Linux, Metal on macOS and D3D12 on Windows). Works in worker_threads too: each thread gets its own
 * Dawn instance. A software adapter (Mesa's llvmpipe, SwiftShader) is refused unless the caller allows it, since
 * it is slower than the wasm backend on the same cores.
 */
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { GpuAdapter } from '../../backend-choice.js';
import { registerWebGpuKernelFixes } from './register-webgpu-kernels.js';

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}

interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software|basic render/i;

export function isSoftwareAdapter(info: AdapterInfoLike, fallback: boolean): boolean {
  return fallback || info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(`${info.architecture ?? ''} ${info.description ?? ''} ${info.device ?? ''}`);
}

let gpu: GpuLike | null = null;

/** Installs Dawn's WebGPU globals (GPUBufferUsage …) and `navigator.gpu` once per thread. */
async function dawn(): Promise<GpuLike> {
  if (gpu !== null) return gpu;
  let loaded: DawnModule;
  try {
    // A variable specifier: `webgpu` ships no TypeScript types for its module shape we rely on.
    const specifier: string = 'webgpu';
    loaded = (await import(specifier)) as DawnModule;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Dawn (the npm package webgpu) does not load on ${process.platform}-${process.arch}: ${message}`);
  }
  Object.assign(globalThis, loaded.globals);
  const created = loaded.create([]);
  // Node 21+ (and so Electron's main process) has a navigator of its own: add `gpu` to it; Node 20 has none.
  const holder = globalThis as { navigator?: { gpu?: unknown } };
  if (holder.navigator !== undefined) Object.defineProperty(holder.navigator, 'gpu', { value: created, configurable: true, writable: true });
  if (holder.navigator?.gpu !== created) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: created }, configurable: true, writable: true });
  }
  gpu = created;
  return created;
}

/** The adapter Dawn offers (high-performance first), or why there is none. */
export async function webGpuAdapter(): Promise<GpuAdapter> {
  const adapter = await (await dawn()).requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    throw new Error('no WebGPU adapter: Dawn found no GPU driver (on Linux, a Vulkan driver such as mesa-vulkan-drivers or the GPU vendor\'s)');
  }
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description ?? info.device ?? '',
    software: isSoftwareAdapter(info, adapter.isFallbackAdapter === true),
    maxBufferBytes: adapter.limits.maxBufferSize,
    maxBindingBytes: adapter.limits.maxStorageBufferBindingSize,
  };
}

/**
 * On Linux a GPU driver exposes a device node: a DRM render node (Mesa, AMD, Intel, NVIDIA's open driver),
 * NVIDIA's own, or WSL2's. Without one Dawn can only find a software adapter, and asking it costs the Vulkan
 * driver's warnings on stderr, so the search stops here. Other systems always ask Dawn.
 */
export function gpuDeviceNodes(platform: NodeJS.Platform = process.platform, dev = '/dev'): string[] | null {
  if (platform !== 'linux') return null;
  const list = (dir: string): string[] => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  };
  const render = list(`${dev}/dri`).filter((name) => name.startsWith('renderD')).map((name) => `${dev}/dri/${name}`);
  const other = list(dev).filter((name) => /^nvidia\d+$/.test(name) || name === 'dxg').map((name) => `${dev}/${name}`);
  return [...render, ...other];
}

/** Activates tfjs's webgpu backend on Dawn's adapter; a software adapter only when `allowSoftware`. */
export async function loadWebGpuBackend(allowSoftware: boolean): Promise<GpuAdapter> {
  if (!allowSoftware && gpuDeviceNodes()?.length === 0) {
    throw new Error('no GPU device on this machine (no /dev/dri render node, /dev/nvidia* or /dev/dxg)');
  }
  const adapter = await webGpuAdapter();
  if (adapter.software && !allowSoftware) {
    throw new Error(`only a software adapter (${adapter.description}), slower than wasm; VSSL_TF_BACKEND=webgpu uses it anyway`);
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  registerWebGpuKernelFixes();
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend did not initialise on Dawn');
  return adapter;
}
