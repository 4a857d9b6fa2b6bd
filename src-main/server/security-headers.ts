import type { ServerResponse } from 'node:http';

/**
 * Headers every response carries; the CSP allows only this server and its WebSocket, as the page
 * reaches it: `host` as the request named it, and the public URL's host (`wss:` behind HTTPS).
 */
export function setSecurityHeaders(res: ServerResponse, host: string, publicSocket: string | null = null): void {
  const sockets = [`ws://${host}`, ...(publicSocket && publicSocket !== `ws://${host}` ? [publicSocket] : [])];
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "media-src 'self' blob:",
      `connect-src 'self' ${sockets.join(' ')}`,
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ].join('; '),
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}
