import { app, session, shell, type WebContents } from 'electron';
import { MEDIA_SCHEME } from './channels.js';
import { isAllowedExternalUrl } from './external-links.js';

export const DESKTOP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: blob: ${MEDIA_SCHEME}:`,
  `media-src 'self' blob: ${MEDIA_SCHEME}:`,
  `connect-src 'self' ${MEDIA_SCHEME}:`,
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

function openIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) shell.openExternal(url).catch(() => {});
}

function lockDown(contents: WebContents): void {
  // The app is one page: every navigation and every new window is refused; an allowlisted https
  // link opens in the person's browser instead.
  contents.on('will-navigate', (event, url) => {
    if (url === contents.getURL()) return;
    event.preventDefault();
    openIfAllowed(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });
}

/** Applies to every web contents the app ever creates, plus session-wide CSP and permissions. */
export function applyWindowSecurity(): void {
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // A CSP header as well as the renderer's own rules; recent Electron applies it to file:// pages.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DESKTOP_CSP] } });
  });
}
