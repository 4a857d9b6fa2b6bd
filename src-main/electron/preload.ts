/**
 * The sandboxed preload: exposes `window.vssl` (the PreloadBridge of the contract) and nothing
 * else, never raw ipcRenderer. Bundled to CommonJS by scripts/build-preload.mjs, which also
 * inlines the method and event names so the contract's zod schemas stay out of the preload.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { EventName, MethodName, PreloadBridge } from '../shared/contract.js';
import type { ErrorEnvelope } from '../shared/errors.js';
import { EVENT_CHANNEL, MEDIA_SCHEME } from './channels.js';

declare const __VSSL_METHOD_NAMES__: readonly MethodName[];
declare const __VSSL_EVENT_NAMES__: readonly EventName[];

const methodNames = new Set<string>(__VSSL_METHOD_NAMES__);
const eventNames = new Set<string>(__VSSL_EVENT_NAMES__);
const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const listener of listeners.get(name) ?? []) {
    try {
      listener(payload);
    } catch (err) {
      console.error(`vssl: a listener for ${name} failed`, err);
    }
  }
});

function refusal(message: string): ErrorEnvelope {
  return { error: { code: 'UNKNOWN_METHOD', message } };
}

const bridge: PreloadBridge = {
  invoke(method, params) {
    if (typeof method !== 'string' || !methodNames.has(method)) {
      return Promise.resolve(refusal(`There is no method called ${JSON.stringify(method)}.`));
    }
    return ipcRenderer.invoke(method, params) as Promise<unknown>;
  },
  on(event, listener) {
    if (!eventNames.has(event)) throw new Error(`There is no event called ${JSON.stringify(event)}.`);
    if (typeof listener !== 'function') throw new Error('An event listener must be a function.');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
  mediaScheme: MEDIA_SCHEME,
  pathForFile(file) {
    return webUtils.getPathForFile(file as File);
  },
};

contextBridge.exposeInMainWorld('vssl', bridge);
