import { protocol } from 'electron';
import type { Core } from '../core/core.js';
import { MEDIA_SCHEME } from './channels.js';
import { mediaResponse } from './media-response.js';

/** Must run before the app is ready: <video> needs a standard, streamable, fetchable scheme. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

export function handleMediaProtocol(core: Core): void {
  protocol.handle(MEDIA_SCHEME, (request) => mediaResponse(core, request));
}
