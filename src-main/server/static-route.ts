import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { sendText } from './plain-response.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The file under `root` a URL path names, or null. Each segment is decoded on its own, so an
 * encoded slash or `..` cannot climb out; dot-files and NULs are refused outright.
 */
export function staticFileFor(root: string, rawPath: string): string | null {
  const segments = rawPath === '/' ? ['index.html'] : rawPath.split('/').slice(1);
  const decoded: string[] = [];
  for (const segment of segments) {
    let part: string;
    try {
      part = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (part === '' || part.startsWith('.') || /[/\\\0]/.test(part)) return null;
    decoded.push(part);
  }
  const file = path.resolve(root, ...decoded);
  if (!file.startsWith(path.resolve(root) + path.sep)) return null;
  return file;
}

/** Serves the built renderer; no directory listings, unknown paths are 404. */
export function handleStatic(root: string, rawPath: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Only GET and HEAD are allowed here.', { Allow: 'GET, HEAD' });
    return;
  }
  const file = staticFileFor(root, rawPath);
  let stat: fs.Stats | null = null;
  try {
    stat = file ? fs.statSync(file) : null;
  } catch {
    stat = null;
  }
  if (!file || !stat?.isFile()) {
    if (rawPath === '/') {
      sendText(res, 404, `The renderer is not built (no ${path.join(root, 'index.html')}): run "npm run build".`);
    } else {
      sendText(res, 404, 'Not found.');
    }
    return;
  }
  res.writeHead(200, {
    'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': stat.size,
    // index.html names hashed assets, so it must be re-read; the assets themselves never change.
    'Cache-Control': rawPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
