import type { PreloadBridge } from '../../../src-main/shared/contract.js';
import { HttpTransport } from './http-transport.js';
import { IpcTransport } from './ipc-transport.js';
import type { RendererTransport } from './renderer-transport.js';

declare global {
  interface Window {
    /** Present only inside the Electron shell (exposed by the preload). */
    vssl?: PreloadBridge;
  }
}

/** Desktop when the preload bridge is there, web mode otherwise. */
export function pickTransport(): RendererTransport {
  return window.vssl ? new IpcTransport(window.vssl) : new HttpTransport();
}
