import { ipcMain, type WebFrameMain } from 'electron';
import type { Core } from '../core/core.js';
import { methodNames } from '../shared/contract.js';

/**
 * One `ipcMain.handle` per contract method (channels are the method names, `domain:verb`).
 * Each answers with the core's envelope; the preload hands it to the renderer, which unwraps it.
 */
export function registerIpcHandlers(core: Core, isTrustedSender: (frame: WebFrameMain | null) => boolean): void {
  for (const method of methodNames) {
    ipcMain.handle(method, (event, params: unknown) => {
      if (!isTrustedSender(event.senderFrame)) {
        throw new Error(`Refused ${method}: the call did not come from the app's own page.`);
      }
      return core.invoke(method, params);
    });
  }
}
