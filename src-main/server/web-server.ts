import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Core } from '../core/core.js';
import { apiMethodFromPath, handleApi } from './api-route.js';
import { createToken, isAuthorised, presentedTokens, sessionCookie } from './auth.js';
import { EventSocket, refuseUpgrade } from './event-socket.js';
import { handleMedia } from './media-route.js';
import { sendText } from './plain-response.js';
import { defaultRendererDir } from './renderer-dir.js';
import { DownloadRegistry } from './downloads.js';
import { handleExport } from './export-route.js';
import { NO_PUBLIC_ADDRESS, type PublicAddress } from './public-address.js';
import { allowedNames, checkHostAndOrigin, type AllowedNames } from './request-guard.js';
import { setSecurityHeaders } from './security-headers.js';
import { handleStatic } from './static-route.js';
import { UploadFolders } from './upload-route.js';
import { handleVideoUpload } from './video-upload-route.js';

export interface WebServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Interface to bind; 127.0.0.1 unless the person asks otherwise. */
  host?: string;
  /** The built renderer; defaults to out/renderer of this checkout. */
  rendererDir?: string;
  /** Fixed token (tests); normally a fresh random one per start. */
  token?: string;
  /** Behind a reverse proxy or a tunnel: the address the browser uses (see public-address.ts). */
  publicAddress?: PublicAddress;
}

export interface WebServer {
  /** The URL to open (the public one when there is one): it carries the token, which the server swaps for a cookie. */
  readonly url: string;
  /** The same on this machine's own address. */
  readonly localUrl: string;
  readonly port: number;
  readonly host: string;
  readonly token: string;
  close(): Promise<void>;
}

const UNAUTHORISED =
  'This VSSL Studio server needs its access token: open the URL printed by "vssl serve" (it ends in ?token=...).';

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Splits the request target without normalising it, so `..` stays visible to the routes. A proxy
 * may pass the public URL's path prefix on or strip it: the routes see the path without it.
 */
function splitTarget(req: IncomingMessage, basePath: string): { rawPath: string; url: URL } | null {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return null;
  const q = target.indexOf('?');
  let rawPath = q < 0 ? target : target.slice(0, q);
  if (basePath && rawPath.startsWith(`${basePath}/`)) rawPath = rawPath.slice(basePath.length);
  try {
    return { rawPath, url: new URL(target, 'http://localhost') };
  } catch {
    return null;
  }
}

/**
 * Web mode: the built renderer, `/api/<method>`, the `/events` WebSocket, `/media/<id>/<kind>`,
 * exports to download (`/export/<method>`, `/download/<id>/<name>`) and label uploads (`/upload/<name>`)
 * over one Core, on 127.0.0.1 by default, every request gated by a per-start token.
 */
export async function startWebServer(core: Core, options: WebServerOptions = {}): Promise<WebServer> {
  const bindHost = options.host ?? '127.0.0.1';
  const token = options.token ?? createToken();
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const address = options.publicAddress ?? NO_PUBLIC_ADDRESS;
  const basePath = address.url?.basePath ?? '';
  const publicSocket = address.url ? `${address.url.secure ? 'wss' : 'ws'}://${address.url.host}` : null;
  const events = new EventSocket(core);
  const downloads = new DownloadRegistry();
  const uploads = new UploadFolders();
  let port = 0;
  let names: AllowedNames = { hosts: new Set(), origins: new Set() };

  const guard = (req: IncomingMessage, url: URL) => {
    const refused = checkHostAndOrigin(req, names);
    if (refused) return refused;
    if (!isAuthorised(presentedTokens(req, url, port), token)) return { status: 401 as const, reason: UNAUTHORISED };
    return null;
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = (req.headers.host ?? '').toLowerCase();
    setSecurityHeaders(res, names.hosts.has(host) ? host : `127.0.0.1:${port}`, publicSocket);
    const target = splitTarget(req, basePath);
    if (!target) {
      sendText(res, 400, 'Bad request target.');
      return;
    }
    const { rawPath, url } = target;
    const refused = guard(req, url);
    if (refused) {
      sendText(res, refused.status, refused.reason);
      return;
    }
    if (basePath && rawPath === basePath && req.method === 'GET') {
      // The page's relative URLs (api/, events, assets/) need the trailing slash.
      res.writeHead(302, { Location: `${basePath}/${url.search}`, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (rawPath === '/' && url.searchParams.has('token') && req.method === 'GET') {
      // Swap the token in the address bar for a cookie, so it is not left in history or screenshots.
      // "./" is the folder the browser asked for, with or without a proxy's path prefix.
      res.writeHead(302, { Location: './', 'Set-Cookie': sessionCookie(port, token), 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (rawPath.startsWith('/api/')) {
      const method = apiMethodFromPath(rawPath);
      if (method === null) {
        sendText(res, 400, 'Bad method name.');
        return;
      }
      await handleApi(core, method, req, res);
      return;
    }
    if (rawPath === '/media' || rawPath.startsWith('/media/')) {
      handleMedia(core, rawPath, req, res);
      return;
    }
    if (rawPath.startsWith('/export/')) {
      await handleExport(core, downloads, rawPath, req, res);
      return;
    }
    if (rawPath.startsWith('/download/')) {
      downloads.handle(core, rawPath, req, res);
      return;
    }
    if (rawPath.startsWith('/upload-video/')) {
      await handleVideoUpload(core, rawPath, req, res);
      return;
    }
    if (rawPath.startsWith('/upload/')) {
      await uploads.handle(core, rawPath, req, res);
      return;
    }
    if (rawPath === '/events') {
      sendText(res, 426, '/events is a WebSocket.', { Upgrade: 'websocket' });
      return;
    }
    handleStatic(rendererDir, rawPath, req, res);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const target = splitTarget(req, basePath);
    if (!target || target.rawPath !== '/events') {
      refuseUpgrade(socket, 404, 'The only WebSocket is /events.');
      return;
    }
    const refused = guard(req, target.url);
    if (refused) {
      refuseUpgrade(socket, refused.status, refused.reason);
      return;
    }
    events.accept(req, socket, head);
  };

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      console.error('vssl serve: request failed:', err);
      if (!res.headersSent) sendText(res, 500, 'Internal error.');
      else res.destroy();
    });
  });
  server.on('upgrade', onUpgrade);
  // Node closes an idle keep-alive socket after 5 s; a client that reuses it in that instant gets
  // ECONNRESET instead of an answer. Browsers, proxies and scripts pause longer than that between
  // calls, so idle sockets are kept for a minute (longer than the 60 s most proxies keep theirs).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  names = allowedNames(bindHost, port, address);
  const localUrl = `http://${urlHost(bindHost)}:${port}/?token=${token}`;

  return {
    url: address.url ? `${address.url.origin}${basePath}/?token=${token}` : localUrl,
    localUrl,
    port,
    host: bindHost,
    token,
    close: async () => {
      events.close();
      downloads.close();
      uploads.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
