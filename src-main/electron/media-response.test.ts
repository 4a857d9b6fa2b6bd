import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../../tests/fixtures/make-videos.js';
import { Core } from '../core/core.js';
import { mediaResponse } from './media-response.js';

// The vssl-media:// handler, exercised with real Request/Response objects and a real video: the
// Electron protocol only wraps this function, and no Electron binary runs here.
let tmp: string;
let core: Core;
let videoFile: string;
let videoId: number;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-media-protocol-'));
  videoFile = await makeVideo(path.join(tmp, 'clip.webm'), { codec: 'vp9', seconds: 1 });
  core = new Core({ mode: 'electron', userDataDir: path.join(tmp, 'user') });
  await core.call('project:create', { path: path.join(tmp, 'project') });
  videoId = core.currentSession()!.videos.upsert({
    path: videoFile, name: 'clip.webm', hash: null, size: fs.statSync(videoFile).size, mtime_ms: null,
    status: 'ready', error: null, duration_sec: 1, frame_count: 25, avg_frame_rate: '25/1',
    real_frame_rate: '25/1', fps: 25, start_time: 0, width: 160, height: 120, codec: 'vp9',
    pixel_format: 'yuv420p', container: 'webm', rotation: 0, has_audio: 0, playable: 1,
    proxy_state: 'none', proxy_path: null, poster_path: null, probe_json: null,
  }).id;
});

afterAll(async () => {
  await core.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => mediaResponse(core, new Request(url, { headers }));

describe('vssl-media:// responses', () => {
  it('serves a registered video whole and in ranges', async () => {
    const bytes = fs.readFileSync(videoFile);
    const whole = get(`vssl-media://media/${videoId}/video`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/webm');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('access-control-allow-origin')).toBe('*');
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const part = get(`vssl-media://media/${videoId}/video`, { Range: 'bytes=10-59' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-59/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(10, 60))).toBe(true);
    const beyond = get(`vssl-media://media/${videoId}/video`, { Range: `bytes=${bytes.length + 5}-` });
    expect(beyond.status).toBe(416);
  });

  it('refuses unregistered ids, bad ids, other hosts and paths', async () => {
    expect(get('vssl-media://media/999/video').status).toBe(404);
    expect(get(`vssl-media://media/${videoId}/poster`).status).toBe(404);
    expect(get('vssl-media://media/abc/video').status).toBe(400);
    expect(get(`vssl-media://elsewhere/${videoId}/video`).status).toBe(404);
    for (const url of ['vssl-media://media/../../etc/passwd', 'vssl-media://media/%2e%2e/%2e%2e/etc/passwd', `vssl-media://media/${videoId}/video/x`]) {
      const answer = get(url);
      expect([400, 404], url).toContain(answer.status);
      expect(await answer.text(), url).not.toContain('root:');
    }
  });

  it('refuses a video whose file was swapped for a symlink to another file, as web mode does', async () => {
    const other = await makeVideo(path.join(tmp, 'other.webm'), { codec: 'vp9', seconds: 1 });
    const swapped = path.join(tmp, 'swapped.webm');
    fs.copyFileSync(videoFile, swapped);
    const stat = fs.statSync(swapped);
    const id = core.currentSession()!.videos.upsert({
      path: swapped, name: 'swapped.webm', hash: null, size: stat.size, mtime_ms: stat.mtimeMs,
      status: 'ready', error: null, duration_sec: 1, frame_count: 25, avg_frame_rate: '25/1',
      real_frame_rate: '25/1', fps: 25, start_time: 0, width: 160, height: 120, codec: 'vp9',
      pixel_format: 'yuv420p', container: 'webm', rotation: 0, has_audio: 0, playable: 1,
      proxy_state: 'none', proxy_path: null, poster_path: null, probe_json: null,
    }).id;
    expect(get(`vssl-media://media/${id}/video`).status).toBe(200);
    fs.rmSync(swapped);
    fs.symlinkSync(other, swapped);
    const refused = get(`vssl-media://media/${id}/video`);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/changed on disk/);
  });
});
