import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import { Core } from '../core/core.js';
import type { VideoFields } from '../core/media/video-repository.js';
import { MAX_UPLOAD_BYTES, MAX_VIDEO_UPLOAD_BYTES } from '../shared/web-files.js';
import { PublicAddressError, publicAddress } from './public-address.js';
import { startWebServer, type WebServer } from './web-server.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

let tmp: string;
let core: Core;
let server: WebServer;
let videoFile: string;
let videoId: number;
let posterlessId: number;

/** A raw HTTP request: unlike fetch it sends paths and Host/Origin headers exactly as given. */
function request(
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; port?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: options.port ?? server.port, path: target, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = () => ({ Authorization: `Bearer ${server.token}` });

function api(method: string, params?: unknown, headers: Record<string, string> = auth()): Promise<Answer> {
  const body = params === undefined ? undefined : JSON.stringify(params);
  return request(`/api/${method}`, {
    method: 'POST',
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
}

function videoFields(file: string, overrides: Partial<VideoFields> = {}): VideoFields {
  return {
    path: file, name: path.basename(file), hash: null, size: fs.statSync(file).size, mtime_ms: null,
    status: 'ready', error: null, duration_sec: 1, frame_count: 25, avg_frame_rate: '25/1',
    real_frame_rate: '25/1', fps: 25, start_time: 0, width: 160, height: 120, codec: 'h264',
    pixel_format: 'yuv420p', container: 'mp4', rotation: 0, has_audio: 0, playable: 1,
    proxy_state: 'none', proxy_path: null, poster_path: null, probe_json: null,
    ...overrides,
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-server-'));
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>VSSL Studio</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("hi");');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  videoFile = await makeVideo(path.join(tmp, 'media', 'clip.mp4'), { seconds: 1 });

  core = new Core({ mode: 'web', userDataDir: path.join(tmp, 'user') });
  await core.call('project:create', { path: path.join(tmp, 'project') });
  const session = core.currentSession()!;
  const posterFile = session.project.cachePath('poster-1.jpg');
  fs.writeFileSync(posterFile, Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  videoId = session.videos.upsert(videoFields(videoFile, { poster_path: 'poster-1.jpg' })).id;
  posterlessId = session.videos.upsert(videoFields(path.join(tmp, 'secret.txt'), { playable: 0 })).id;
  server = await startWebServer(core, { port: 0, rendererDir });
});

afterAll(async () => {
  await server?.close();
  await core?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('web server: the token', () => {
  it('refuses every kind of request without it', async () => {
    for (const answer of [
      await request('/'),
      await request('/assets/app.js'),
      await api('app:info', undefined, {}),
      await request(`/media/${videoId}/video`),
    ]) {
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('open the URL printed by "vssl serve"');
    }
  });

  it('refuses a wrong token in the header, the cookie and the query', async () => {
    expect((await api('app:info', undefined, { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await api('app:info', undefined, { Cookie: `vssl_token_${server.port}=nope` })).status).toBe(401);
    expect((await request('/?token=nope')).status).toBe(401);
  });

  it('swaps ?token= for an HttpOnly SameSite=Strict cookie and redirects to /', async () => {
    const answer = await request(`/?token=${server.token}`);
    expect(answer.status).toBe(302);
    // Relative, so that behind a proxy's path prefix it stays under the prefix.
    expect(answer.headers.location).toBe('./');
    const cookie = answer.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toBe(`vssl_token_${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/`);
    const page = await request('/', { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>VSSL Studio</title>');
  });

  it('answers API calls authorised by the header or by the cookie', async () => {
    const byHeader = await api('app:info');
    expect(byHeader.status).toBe(200);
    expect(JSON.parse(byHeader.text)).toMatchObject({ result: { name: 'VSSL Studio', mode: 'web' } });
    const byCookie = await api('project:current', {}, { Cookie: `other=1; vssl_token_${server.port}=${server.token}` });
    expect(JSON.parse(byCookie.text)).toMatchObject({ result: { name: 'project' } });
    expect(byCookie.headers['cache-control']).toBe('no-store');
  });

  it('keeps an idle keep-alive connection open past Node\'s 5 s default, so a client that reuses it is answered', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const call = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: server.port, path: '/api/app:info', method: 'POST', agent, headers: auth() },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await call()).toEqual({ status: 200, reused: false });
      await new Promise((r) => setTimeout(r, 6_000));
      expect(await call()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 20_000);
});

describe('web server: host and origin', () => {
  it('refuses a request from another origin', async () => {
    const answer = await api('app:info', {}, { ...auth(), Origin: 'http://evil.example' });
    expect(answer.status).toBe(403);
    const own = await api('app:info', {}, { ...auth(), Origin: `http://127.0.0.1:${server.port}` });
    expect(own.status).toBe(200);
  });

  it('refuses a Host it does not serve (DNS rebinding)', async () => {
    const answer = await api('app:info', {}, { ...auth(), Host: `evil.example:${server.port}` });
    expect(answer.status).toBe(403);
    expect((await api('app:info', {}, { ...auth(), Host: `localhost:${server.port}` })).status).toBe(200);
  });
});

describe('web server: the API', () => {
  it('answers invalid params with a 400 envelope and unknown methods with 404', async () => {
    const bad = await api('videos:get', { id: 'one' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ error: { code: 'INVALID_PARAMS' } });
    const unknown = await api('nope:never', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ error: { code: 'UNKNOWN_METHOD' } });
  });

  it('maps error codes to statuses: NOT_FOUND 404, UNSUPPORTED 501', async () => {
    expect((await api('videos:get', { id: 999 })).status).toBe(404);
    const dialog = await api('dialog:open', { kind: 'folder' });
    expect(dialog.status).toBe(501);
    expect(JSON.parse(dialog.text)).toMatchObject({ error: { code: 'UNSUPPORTED' } });
    // the desktop's Save As too: a browser downloads exports instead
    const save = await api('dialog:save', { title: 'Export labels', defaultPath: '/tmp/labels.csv' });
    expect(save.status).toBe(501);
    expect(JSON.parse(save.text)).toMatchObject({ error: { code: 'UNSUPPORTED', message: expect.stringContaining('desktop app') } });
  });

  it('quotes at most 200 characters of the input in an error', async () => {
    const key = 'k'.repeat(1024 * 1024);
    const answer = await api('app:info', { [key]: 1 });
    expect(answer.status).toBe(400);
    const message = (JSON.parse(answer.text) as { error: { message: string } }).error.message;
    expect(message).toContain(`${'k'.repeat(100)}`);
    expect(message).toContain('…');
    expect(message.length).toBeLessThan(400);
    const unknown = await request(`/api/${'m'.repeat(8000)}`, { method: 'POST', headers: auth() });
    expect(unknown.status).toBe(404);
    expect(unknown.text.length).toBeLessThan(400);
  });

  it('fs:list refuses a relative path instead of resolving it against the working directory', async () => {
    const answer = await api('fs:list', { path: 'media' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      error: { code: 'INVALID_PARAMS', message: 'Invalid parameters for fs:list: path: The path must be absolute (/… or C:\\…).' },
    });
    expect((await api('fs:list', { path: path.join(tmp, 'media') })).status).toBe(200);
  });

  it('refuses non-JSON bodies (415), bad JSON (400), huge bodies (413) and GET (405)', async () => {
    const form = await request('/api/app:info', {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const broken = await request('/api/app:info', {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{nope',
    });
    expect(broken.status).toBe(400);
    const huge = await request('/api/fs:list', {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: Buffer.alloc(9 * 1024 * 1024, 0x20),
    });
    expect(huge.status).toBe(413);
    expect((await request('/api/app:info', { headers: auth() })).status).toBe(405);
  });
});

describe('web server: static files', () => {
  it('serves the renderer with MIME types and security headers', async () => {
    const js = await request('/assets/app.js', { headers: auth() });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(js.headers['referrer-policy']).toBe('no-referrer');
    const csp = js.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
  });

  it('gives 404 for unknown paths and directories, and never leaves its folder', async () => {
    for (const target of [
      '/nope.html',
      '/assets',
      '/assets/',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00',
    ]) {
      const answer = await request(target, { headers: auth() });
      expect(answer.status, target).toBe(404);
      expect(answer.text, target).not.toContain('secret');
    }
  });
});

describe('web server: media', () => {
  it('serves a registered video whole, with Accept-Ranges', async () => {
    const answer = await request(`/media/${videoId}/video`, { headers: auth() });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('video/mp4');
    expect(answer.headers['accept-ranges']).toBe('bytes');
    expect(answer.body.equals(fs.readFileSync(videoFile))).toBe(true);
  });

  it('answers Range requests with the exact bytes (206) and 416 when unsatisfiable', async () => {
    const bytes = fs.readFileSync(videoFile);
    const partial = await request(`/media/${videoId}/video`, { headers: { ...auth(), Range: 'bytes=100-299' } });
    expect(partial.status).toBe(206);
    expect(partial.headers['content-range']).toBe(`bytes 100-299/${bytes.length}`);
    expect(partial.body.equals(bytes.subarray(100, 300))).toBe(true);
    const tail = await request(`/media/${videoId}/video`, { headers: { ...auth(), Range: 'bytes=-50' } });
    expect(tail.body.equals(bytes.subarray(bytes.length - 50))).toBe(true);
    const open = await request(`/media/${videoId}/video`, { headers: { ...auth(), Range: `bytes=${bytes.length - 10}-` } });
    expect(open.body.equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const beyond = await request(`/media/${videoId}/video`, { headers: { ...auth(), Range: `bytes=${bytes.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${bytes.length}`);
  });

  it('answers HEAD with the headers only', async () => {
    const answer = await request(`/media/${videoId}/video`, { method: 'HEAD', headers: auth() });
    expect(answer.status).toBe(200);
    expect(Number(answer.headers['content-length'])).toBe(fs.statSync(videoFile).size);
    expect(answer.body.length).toBe(0);
  });

  it('serves the poster from the project cache', async () => {
    const answer = await request(`/media/${videoId}/poster`, { headers: auth() });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('image/jpeg');
  });

  it('refuses a video whose file was swapped for a symlink to another file, or changed size', async () => {
    const session = core.currentSession()!;
    const register = (file: string, overrides: Partial<VideoFields> = {}) =>
      session.videos.upsert(videoFields(file, { mtime_ms: fs.statSync(file).mtimeMs, ...overrides })).id;
    const other = path.join(tmp, 'media', 'other.bin');
    fs.writeFileSync(other, Buffer.alloc(fs.statSync(videoFile).size, 0x53));

    // Swapped for a symlink to another file of the very same size: only the link gives it away
    // when no modification time was recorded, the time does otherwise.
    for (const mtime of [null, 'recorded'] as const) {
      const swapped = path.join(tmp, 'media', `swapped-${mtime}.mp4`);
      fs.copyFileSync(videoFile, swapped);
      const id = register(swapped, mtime === null ? { mtime_ms: null } : {});
      expect((await request(`/media/${id}/video`, { headers: auth() })).status).toBe(200);
      fs.rmSync(swapped);
      fs.symlinkSync(other, swapped);
      fs.utimesSync(other, new Date(0), new Date(0));
      const answer = await request(`/media/${id}/video`, { headers: auth() });
      expect(answer.status, String(mtime)).toBe(409);
      expect(answer.text).toMatch(new RegExp(`^Video ${id} changed on disk since it was imported`));
      expect(answer.text).not.toContain('SSSS');
    }

    const grown = path.join(tmp, 'media', 'grown.mp4');
    fs.copyFileSync(videoFile, grown);
    const grownId = register(grown, { mtime_ms: null });
    fs.appendFileSync(grown, 'more');
    const answer = await request(`/media/${grownId}/video`, { headers: auth() });
    expect(answer.status).toBe(409);
    expect(answer.text).toContain(`its size is ${fs.statSync(grown).size} bytes`);

    // Imported through a symlink: the file it reaches is the one imported, so it is served.
    const linked = path.join(tmp, 'media', 'linked.mp4');
    fs.symlinkSync(videoFile, linked);
    const linkedId = register(linked);
    const served = await request(`/media/${linkedId}/video`, { headers: auth() });
    expect(served.status).toBe(200);
    expect(served.body.equals(fs.readFileSync(videoFile))).toBe(true);
  });

  it('refuses unregistered ids, bad ids, unknown kinds and traversal', async () => {
    expect((await request('/media/999/video', { headers: auth() })).status).toBe(404);
    // Registered but with nothing playable: the row's path must not be served.
    const unplayable = await request(`/media/${posterlessId}/video`, { headers: auth() });
    expect(unplayable.status).toBe(404);
    expect(unplayable.text).not.toContain('secret\n');
    for (const bad of ['/media/abc/video', '/media/0/video', '/media/-1/video', '/media/1.5/video', '/media/01/video']) {
      expect((await request(bad, { headers: auth() })).status, bad).toBe(400);
    }
    for (const target of [
      '/media/../../etc/passwd',
      '/media/%2e%2e/%2e%2e/etc/passwd',
      `/media/${videoId}/..%2f..%2fsecret.txt`,
      `/media/${videoId}/video/extra`,
      `/media/${videoId}/file`,
      '/media/',
    ]) {
      const answer = await request(target, { headers: auth() });
      expect([400, 404], target).toContain(answer.status);
      expect(answer.text, target).not.toContain('root:');
    }
  });
});

describe('web server: behind a proxy or a tunnel', () => {
  let proxied: WebServer;
  const publicHost = 'gpu.example.org';
  const publicOrigin = `https://${publicHost}`;
  const at = (target: string, headers: Record<string, string>) =>
    request(target, { port: proxied.port, headers: { Authorization: `Bearer ${proxied.token}`, ...headers } });

  beforeAll(async () => {
    proxied = await startWebServer(core, {
      port: 0,
      rendererDir: path.join(tmp, 'renderer'),
      publicAddress: publicAddress(`${publicOrigin}/vssl/`, ['localhost:9000', 'Tunnel.example']),
    });
  });
  afterAll(async () => {
    await proxied?.close();
  });

  it('prints the public URL with the token, and keeps the local one', () => {
    expect(proxied.url).toBe(`${publicOrigin}/vssl/?token=${proxied.token}`);
    expect(proxied.localUrl).toBe(`http://127.0.0.1:${proxied.port}/?token=${proxied.token}`);
  });

  it('accepts exactly the public origin, the allowed hosts and the local names', async () => {
    const accepted: Record<string, string>[] = [
      { Host: publicHost, Origin: publicOrigin },
      // A proxy that does not pass Host on: the Origin is still the public one.
      { Host: `127.0.0.1:${proxied.port}`, Origin: publicOrigin },
      { Host: 'localhost:9000', Origin: 'http://localhost:9000' },
      { Host: 'tunnel.example' },
      { Host: `localhost:${proxied.port}`, Origin: `http://localhost:${proxied.port}` },
    ];
    for (const headers of accepted) {
      expect((await at('/vssl/', headers)).status, JSON.stringify(headers)).toBe(200);
    }
    const refused: Record<string, string>[] = [
      { Host: 'evil.example' },
      { Host: `evil.example:${proxied.port}` },
      { Host: 'gpu.example.org:8443' },
      { Host: 'localhost:9001' },
      { Host: publicHost, Origin: 'https://evil.example' },
      { Host: publicHost, Origin: `http://${publicHost}` },
      { Host: publicHost, Origin: `${publicOrigin}:8443` },
      { Host: 'localhost:9000', Origin: 'http://localhost:9001' },
    ];
    for (const headers of refused) {
      expect((await at('/vssl/', headers)).status, JSON.stringify(headers)).toBe(403);
    }
  });

  it('serves under the prefix whether the proxy strips it or passes it on', async () => {
    const headers = { Host: publicHost, Origin: publicOrigin };
    for (const target of ['/vssl/api/app:info', '/api/app:info']) {
      const answer = await request(target, {
        port: proxied.port,
        method: 'POST',
        headers: { ...headers, Authorization: `Bearer ${proxied.token}` },
      });
      expect(answer.status, target).toBe(200);
      expect(JSON.parse(answer.text), target).toMatchObject({ result: { name: 'VSSL Studio' } });
    }
    expect((await at('/vssl/assets/app.js', headers)).text).toBe('console.log("hi");');
    // Without the slash the page's relative URLs would miss the prefix.
    const bare = await request(`/vssl?token=${proxied.token}`, { port: proxied.port, headers: { Host: publicHost } });
    expect(bare.status).toBe(302);
    expect(bare.headers.location).toBe(`/vssl/?token=${proxied.token}`);
    const swap = await request(`/vssl/?token=${proxied.token}`, { port: proxied.port, headers: { Host: publicHost } });
    expect(swap.status).toBe(302);
    expect(swap.headers.location).toBe('./');
    expect(swap.headers['set-cookie']?.[0]).toContain(`vssl_token_${proxied.port}=${proxied.token}`);
  });

  it('allows wss: to the public host in the CSP when the public URL is https', async () => {
    const csp = (await at('/vssl/', { Host: publicHost })).headers['content-security-policy'] ?? '';
    expect(csp).toContain(`connect-src 'self' ws://${publicHost} wss://${publicHost}`);
    expect(csp).not.toContain('ws://evil');
  });

  it('opens the event socket under the prefix from the public origin, and still wants the token', async () => {
    const open = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${proxied.port}/vssl/events`, { headers });
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', reject);
      });
    const fromProxy = { Host: publicHost, Origin: publicOrigin };
    expect(await open({ ...fromProxy, Authorization: `Bearer ${proxied.token}` })).toBe(101);
    expect(await open(fromProxy)).toBe(401);
    expect(await open({ Host: 'evil.example', Origin: publicOrigin, Authorization: `Bearer ${proxied.token}` })).toBe(403);
  });

  it('refuses public URLs and hosts it cannot serve, saying why', () => {
    expect(() => publicAddress('ftp://example.org/')).toThrow(PublicAddressError);
    expect(() => publicAddress('example.org/vssl')).toThrow('must be a full URL');
    expect(() => publicAddress('https://example.org/api')).toThrow('cannot start its path with /api');
    expect(() => publicAddress('https://example.org/?token=x')).toThrow('no user, password, ?query');
    expect(() => publicAddress(undefined, ['host/path'])).toThrow('--allowed-host must be a host name');
    expect(publicAddress(undefined, ['Host:80', '[::1]:9000']).hosts).toEqual(['host', '[::1]:9000']);
  });
});

describe('web server: uploads and downloads', () => {
  const exportLabels = (body: unknown, headers: Record<string, string> = auth()) =>
    request('/export/labels:export', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const upload = (name: string, body: Buffer | string, headers: Record<string, string> = auth()) =>
    request(`/upload/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', ...headers },
      body,
    });

  it('takes a label file upload into the project, which labels:import then imports', async () => {
    const csv = `path,start,end,label\n${videoFile},0,0.8,walk\n`;
    expect((await upload('labels.csv', csv, {})).status).toBe(401);
    const answer = await upload('labels.csv', csv);
    expect(answer.status).toBe(200);
    const { file, size } = (JSON.parse(answer.text) as { result: { file: string; size: number } }).result;
    expect(size).toBe(Buffer.byteLength(csv));
    expect(path.basename(file)).toBe('labels.csv');
    expect(file.startsWith(path.join(tmp, 'project', 'cache', 'uploads') + path.sep)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(csv);
    const imported = await api('labels:import', { file, format: 'csv' });
    expect(imported.status).toBe(200);
    expect(JSON.parse(imported.text)).toMatchObject({ result: { applied: 1, createdClasses: ['walk'] } });
  });

  it('refuses an upload over the limit with 413 and a clear message, and bad names', async () => {
    const declared = await request('/upload/huge.csv', {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/octet-stream', 'Content-Length': String(MAX_UPLOAD_BYTES + 1) },
    });
    expect(declared.status).toBe(413);
    const streamed = await upload('huge.csv', Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x41));
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text)).toMatchObject({
      error: { message: expect.stringContaining('larger than 64 MiB, the limit for an uploaded label file') },
    });
    expect(fs.readdirSync(path.join(tmp, 'project', 'cache', 'uploads'))).toHaveLength(1);
    for (const name of ['..', '.hidden.csv', 'a/b.csv', 'a\\b.csv']) {
      expect((await upload(name, 'x')).status, name).toBe(400);
    }
    expect((await request('/upload/%2e%2e%2fx.csv', { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/octet-stream' } })).status).toBe(400);
    const form = await upload('a.csv', 'x', { ...auth(), 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });

  it('keeps a video dropped in the browser in the project folder, under its folders, never over another, then imports it', async () => {
    const bytes = fs.readFileSync(videoFile);
    const put = (name: string, headers: Record<string, string> = auth()) =>
      request(`/upload-video/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', ...headers }, body: bytes });
    expect((await put('drop/clip.mp4', {})).status).toBe(401);
    const first = JSON.parse((await put('drop/clip.mp4')).text) as { result: { file: string; size: number } };
    const second = JSON.parse((await put('drop/clip.mp4')).text) as { result: { file: string; size: number } };
    const folder = path.join(tmp, 'project', 'uploaded-videos', 'drop');
    expect(first.result).toEqual({ file: path.join(folder, 'clip.mp4'), size: bytes.length });
    expect(second.result.file).toBe(path.join(folder, 'clip (2).mp4'));
    expect(fs.readdirSync(folder).sort()).toEqual(['clip (2).mp4', 'clip.mp4']);
    const imported = await api('videos:import', { paths: [first.result.file] });
    expect(imported.status).toBe(200);

    for (const name of ['notes.txt', '..%2Fclip.mp4', 'a/..%2F..%2Fclip.mp4', '.hidden.mp4', 'a%5Cb.mp4']) {
      expect((await put(name)).status, name).toBe(400);
    }
    const declared = await request('/upload-video/huge.mp4', {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/octet-stream', 'Content-Length': String(MAX_VIDEO_UPLOAD_BYTES + 1) },
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text)).toMatchObject({ error: { message: expect.stringContaining('larger than 8 GiB') } });
    expect(fs.readdirSync(folder).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('exports labels to a download the token and the project guard, with the exported content', async () => {
    expect((await exportLabels({ name: 'labels.csv', params: { format: 'csv' } }, {})).status).toBe(401);
    const answer = await exportLabels({ name: 'mine.csv', params: { format: 'csv' } });
    expect(answer.status).toBe(200);
    const { report, download } = (JSON.parse(answer.text) as {
      result: { report: { rows: number }; download: { id: string; files: { name: string; size: number; url: string }[] } };
    }).result;
    expect(report.rows).toBe(1);
    expect(download.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(download.files).toEqual([{ name: 'mine.csv', size: expect.any(Number), url: `download/${download.id}/mine.csv` }]);

    expect((await request(`/${download.files[0]!.url}`)).status).toBe(401);
    const file = await request(`/${download.files[0]!.url}`, { headers: auth() });
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="mine.csv"; filename*=UTF-8''mine.csv`);
    expect(file.text.split('\n').filter(Boolean)).toEqual(['path,start,end,label', `${videoFile},0,0.8,walk`]);
    expect(Number(file.headers['content-length'])).toBe(download.files[0]!.size);

    const wrongId = 'A'.repeat(32);
    for (const target of [
      `/download/${wrongId}/mine.csv`,
      `/download/${download.id}/other.csv`,
      `/download/${download.id}`,
      `/download/${download.id}/..%2f..%2f..%2fproject.vssl`,
      `/download/${download.id}/../../../project.vssl`,
      `/download/..%2f..%2fproject.vssl`,
      '/download/../../secret.txt',
    ]) {
      const refused = await request(target, { headers: auth() });
      expect(refused.status, target).toBe(404);
      expect(refused.text, target).not.toContain('SQLite');
    }

    // Another project open: its downloads only.
    expect((await api('project:create', { path: path.join(tmp, 'third') })).status).toBe(200);
    expect((await request(`/${download.files[0]!.url}`, { headers: auth() })).status).toBe(404);
    expect((await api('project:open', { path: path.join(tmp, 'project') })).status).toBe(200);
    expect((await request(`/${download.files[0]!.url}`, { headers: auth() })).status).toBe(200);
  });

  it('downloads the anomaly marks in the csv the marks import reads', async () => {
    expect((await api('anomaly:marks:add', { videoId, startFrame: 5, endFrame: 15, kind: 'anomaly' })).status).toBe(200);
    const answer = await request('/export/anomaly:marks:export', {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'marks.csv' }),
    });
    expect(answer.status, answer.text).toBe(200);
    const { download } = (JSON.parse(answer.text) as { result: { download: { files: { url: string }[] } } }).result;
    const file = await request(`/${download.files[0]!.url}`, { headers: auth() });
    expect(file.text.trim().split('\n')).toEqual(['path,start,end', `${videoFile},0.2,0.6`]);
  });

  it('refuses exports it cannot download and params that name a path', async () => {
    expect((await request('/export/labels:import', { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(404);
    const withPath = await exportLabels({ name: 'x.csv', params: { format: 'csv', file: path.join(tmp, 'x.csv') } });
    expect(withPath.status).toBe(400);
    expect(JSON.parse(withPath.text)).toMatchObject({ error: { message: expect.stringContaining('leave "file" out') } });
    expect((await exportLabels({ name: '../x.csv', params: { format: 'csv' } })).status).toBe(400);
    const badFormat = await exportLabels({ name: 'x.csv', params: { format: 'nope' } });
    expect(badFormat.status).toBe(400);
    expect(JSON.parse(badFormat.text)).toMatchObject({ error: { code: 'INVALID_PARAMS' } });
    expect(fs.existsSync(path.join(tmp, 'x.csv'))).toBe(false);
  });
});

describe('web server: events', () => {
  function connect(headers: Record<string, string>): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events`, { headers });
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  it('refuses a WebSocket without the token or from another origin', async () => {
    await expect(connect({})).rejects.toThrow('refused with 401');
    await expect(connect({ ...auth(), Origin: 'http://evil.example' })).rejects.toThrow('refused with 403');
  });

  it('sends project:changed after project:create', async () => {
    const ws = await connect({ ...auth(), Origin: `http://127.0.0.1:${server.port}` });
    const received = new Promise<{ event: string; payload: { path: string } | null }>((resolve) => {
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as { event: string; payload: { path: string } | null };
        if (message.event === 'project:changed' && message.payload) resolve(message);
      });
    });
    const dir = path.join(tmp, 'second');
    expect((await api('project:create', { path: dir })).status).toBe(200);
    expect((await received).payload?.path).toBe(dir);
    ws.close();
  });
});
