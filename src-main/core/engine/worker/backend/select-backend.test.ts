import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { forcedBackend, selectBackend } from './select-backend.js';
import { gpuDeviceNodes } from './webgpu-backend.js';

// On this machine tfjs-node's install step cannot download libtensorflow, so npm drops both native
// packages: selection must fall through them to wasm with their reason recorded.
describe('selectBackend', () => {
  it('falls back past the missing native packages to wasm with SIMD and says why', async () => {
    const choice = await selectBackend({});
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.reason).toMatch(/WebAssembly with SIMD/);
    expect(choice.gpu).toBe(false);
    // No GPU here: no GPU device node, or Dawn offers only a software adapter (lavapipe), which only a forced run uses.
    expect(choice.tried).toEqual([
      { name: 'node-gpu', error: '@tensorflow/tfjs-node-gpu is not installed' },
      { name: 'webgpu', error: expect.stringMatching(/no GPU device on this machine|only a software adapter \(llvmpipe.*\), slower than wasm; VSSL_TF_BACKEND=webgpu uses it anyway|no WebGPU adapter/) },
      { name: 'node', error: '@tensorflow/tfjs-node is not installed' },
    ]);
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });

  it('uses the backend VSSL_TF_BACKEND forces', async () => {
    const choice = await selectBackend({ VSSL_TF_BACKEND: 'cpu' });
    expect(choice).toMatchObject({ name: 'cpu', tfBackend: 'cpu', tried: [] });
    expect(choice.reason).toMatch(/forced by VSSL_TF_BACKEND/);
    expect(tf.getBackend()).toBe('cpu');
    await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('fails clearly when the forced backend cannot load', async () => {
    await expect(selectBackend({ VSSL_TF_BACKEND: 'node' })).rejects.toThrow(
      'VSSL_TF_BACKEND=node but that backend cannot load: @tensorflow/tfjs-node is not installed',
    );
  });

  it('looks for a GPU device node on Linux before asking Dawn, and always asks elsewhere', () => {
    const dev = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-dev-'));
    try {
      expect(gpuDeviceNodes('linux', dev)).toEqual([]);
      fs.mkdirSync(path.join(dev, 'dri'));
      for (const name of ['card0', 'renderD128', 'nvidia0', 'nvidiactl', 'dxg']) fs.writeFileSync(path.join(dev, name === 'card0' || name === 'renderD128' ? `dri/${name}` : name), '');
      expect(gpuDeviceNodes('linux', dev)?.sort()).toEqual([`${dev}/dri/renderD128`, `${dev}/dxg`, `${dev}/nvidia0`]);
      expect(gpuDeviceNodes('darwin', dev)).toBeNull();
    } finally {
      fs.rmSync(dev, { recursive: true, force: true });
    }
  });

  it('rejects a value that names no backend', () => {
    expect(() => forcedBackend({ VSSL_TF_BACKEND: 'gpu' })).toThrow(
      'VSSL_TF_BACKEND=gpu names no backend; use one of node-gpu, webgpu, node, wasm, cpu',
    );
    expect(forcedBackend({ VSSL_TF_BACKEND: ' ' })).toBeUndefined();
  });
});
