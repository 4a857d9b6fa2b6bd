import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Core } from '../core/core.js';
import type { DownloadDto } from '../shared/web-files.js';
import { sendText } from './plain-response.js';

/** 24 random bytes, URL-safe: 32 characters nobody can guess. */
const ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

interface Download {
  projectDir: string;
  folder: string;
  /** File name as offered (relative to the folder, `/`-separated) → file on disk. */
  files: Map<string, string>;
}

function filesUnder(folder: string, prefix = ''): [string, string][] {
  const found: [string, string][] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isFile()) found.push([name, full]);
    else if (entry.isDirectory()) found.push(...filesUnder(full, name));
  }
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (RFC 6266). */
function contentDisposition(name: string): string {
  const base = path.posix.basename(name);
  const ascii = base.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base)}`;
}

/**
 * Files an export wrote for a browser to fetch: each export gets a fresh folder in the project's
 * cache, named by a random id. A download is served only while the project it was made in is the
 * open one, and only files the export wrote are offered, by exact name: no path reaches the disk.
 */
export class DownloadRegistry {
  private readonly downloads = new Map<string, Download>();

  /** A fresh, empty folder for one export, and the id it will be offered under. */
  prepare(core: Core): { id: string; folder: string; projectDir: string } {
    const session = core.currentSession();
    if (!session) throw new Error('No project is open.');
    const id = crypto.randomBytes(24).toString('base64url');
    const folder = session.project.cachePath('downloads', id);
    fs.mkdirSync(folder, { recursive: true });
    return { id, folder, projectDir: session.project.dir };
  }

  /** Offers every file the export left in its folder. */
  register(prepared: { id: string; folder: string; projectDir: string }): DownloadDto {
    const files = new Map(filesUnder(prepared.folder));
    this.downloads.set(prepared.id, { projectDir: prepared.projectDir, folder: prepared.folder, files });
    return {
      id: prepared.id,
      files: [...files].map(([name, file]) => ({
        name,
        size: fs.statSync(file).size,
        url: `download/${prepared.id}/${name.split('/').map(encodeURIComponent).join('/')}`,
      })),
    };
  }

  /** Removes a folder whose export failed. */
  discard(prepared: { folder: string }): void {
    fs.rmSync(prepared.folder, { recursive: true, force: true });
  }

  /** Deletes every folder this server made (they are copies: the project keeps its data). */
  close(): void {
    for (const download of this.downloads.values()) fs.rmSync(download.folder, { recursive: true, force: true });
    this.downloads.clear();
  }

  /** GET/HEAD /download/<id>/<name>. */
  handle(core: Core, rawPath: string, req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Downloads are read with GET or HEAD.', { Allow: 'GET, HEAD' });
      return;
    }
    const rest = rawPath.slice('/download/'.length);
    const slash = rest.indexOf('/');
    const id = slash < 0 ? rest : rest.slice(0, slash);
    const download = ID_PATTERN.test(id) ? this.downloads.get(id) : undefined;
    if (!download || download.projectDir !== core.currentSession()?.project.dir) {
      sendText(res, 404, 'No such download: it belongs to another project, or the server was restarted since the export.');
      return;
    }
    let name: string;
    try {
      name = rest.slice(slash + 1).split('/').map(decodeURIComponent).join('/');
    } catch {
      sendText(res, 400, 'Bad file name in the download address.');
      return;
    }
    const file = slash < 0 ? undefined : download.files.get(name);
    let size: number;
    try {
      if (!file) throw new Error('not offered');
      size = fs.statSync(file).size;
    } catch {
      sendText(res, 404, `This download has no file ${JSON.stringify(name.slice(0, 200))}.`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': size,
      'Content-Disposition': contentDisposition(name),
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = fs.createReadStream(file);
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }
}
