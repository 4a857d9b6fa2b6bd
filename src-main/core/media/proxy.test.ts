import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeStats,
  importAndWait,
  openTestProject,
  videoAt,
  waitFor,
  type TestProject,
} from '../../../tests/fixtures/core-harness.js';
import { makeVideo } from '../../../tests/fixtures/make-videos.js';

let t: TestProject | null = null;

afterEach(async () => {
  await t?.dispose();
  t = null;
});

const proxiesDir = (p: TestProject) => path.join(p.projectDir, 'cache', 'proxies');

describe('playable copies (proxies)', () => {
  it('makes an H.264 proxy with every frame and the original timestamps for footage the browser cannot play', async () => {
    t = await openTestProject();
    const avi = await makeVideo(path.join(t.media, 'camera.avi'), { codec: 'mpeg4', fps: '30000/1001', seconds: 2 });
    const hevc = await makeVideo(path.join(t.media, 'phone.mp4'), { codec: 'hevc', fps: '25', seconds: 1, startTime: 2 });
    const session = t.session();
    // Every state each video passes through, as the Library would see it.
    const seen = new Map<string, Set<string>>();
    const snapshot = () => {
      for (const row of session.videos.list()) {
        const states = seen.get(row.name) ?? new Set<string>();
        states.add(`${row.status}/${row.proxy_state}`);
        seen.set(row.name, states);
      }
    };
    t.core.events.onAny(snapshot);

    const { summary } = await importAndWait(t.core, [t.media]);
    expect(summary).toMatchObject({ imported: 2, failed: [] });
    snapshot();
    // Until its proxy exists a video is 'processing' with its proxy 'pending'.
    expect(Object.fromEntries([...seen].map(([name, states]) => [name, [...states]]))).toEqual({
      'camera.avi': ['processing/pending', 'ready/ready'],
      'phone.mp4': ['processing/pending', 'ready/ready'],
    });

    const jobs = await t.core.call('jobs:list', {});
    const proxyJobs = jobs.filter((j) => j.kind === 'proxy');
    expect(proxyJobs).toHaveLength(1);
    expect(proxyJobs[0]).toMatchObject({
      title: 'Making playable copies',
      state: 'succeeded',
      result: { kind: 'proxy', made: 2, failed: [] },
    });

    for (const file of [avi, hevc]) {
      const video = await videoAt(t.core, file);
      expect(video).toMatchObject({ status: 'ready', proxy: 'ready', playable: false, error: null });
      const served = t.core.mediaFile(video.id, 'video');
      expect(path.dirname(served.path)).toBe(proxiesDir(t));
      expect(served.contentType).toBe('video/mp4');
      const [original, proxy] = await Promise.all([decodeStats(file), decodeStats(served.path)]);
      expect(proxy).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p' });
      expect(proxy.frames).toBe(original.frames);
      expect(proxy.frames).toBe(video.frameCount);
      expect(proxy.startTime).toBeCloseTo(original.startTime, 2);
    }
    expect((await videoAt(t.core, avi)).codec).toBe('mpeg4');
    expect((await videoAt(t.core, hevc)).startTime).toBeCloseTo(2, 3);
    expect(fs.readdirSync(proxiesDir(t)).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('makes the proxy inside the import when background media work is off', async () => {
    t = await openTestProject({ backgroundMedia: false });
    const avi = await makeVideo(path.join(t.media, 'motion.avi'), { codec: 'mjpeg', seconds: 1 });
    const { summary } = await importAndWait(t.core, [avi]);
    expect(summary).toMatchObject({ imported: 1, failed: [] });
    expect((await t.core.call('jobs:list', {})).map((j) => j.kind)).toEqual(['import']);
    expect(await videoAt(t.core, avi)).toMatchObject({ codec: 'mjpeg', status: 'ready', proxy: 'ready' });
  });

  it('leaves nothing half-written when cancelled, and resumes when the project opens again', async () => {
    t = await openTestProject();
    const project = t;
    const avi = await makeVideo(path.join(t.media, 'long.avi'), {
      codec: 'mpeg4', seconds: 20, width: 640, height: 480,
    });
    let cancelled = false;
    t.core.events.on('job:updated', (job) => {
      if (job.kind === 'proxy' && job.state === 'running' && (job.progress ?? 0) > 0 && !cancelled) {
        cancelled = true;
        void project.core.call('jobs:cancel', { id: job.id });
      }
    });
    await importAndWait(t.core, [avi]);
    const proxyJob = (await t.core.call('jobs:list', {})).find((j) => j.kind === 'proxy');
    expect(proxyJob?.state).toBe('cancelled');
    expect(await videoAt(t.core, avi)).toMatchObject({ status: 'processing', proxy: 'pending' });
    expect(fs.readdirSync(proxiesDir(t))).toEqual([]);

    // What a crash would leave: a half-written proxy (of a pid no process can have) and a poster no row refers to.
    fs.writeFileSync(path.join(proxiesDir(t), 'abc.partial-99999999-deadbeef.mp4'), 'half');
    fs.writeFileSync(path.join(t.projectDir, 'cache', 'posters', 'orphan.jpg'), 'x');
    // A live process's temp file stays: it may be writing it right now (here: the test runner's parent).
    const live = `def.partial-${process.ppid}-cafe.mp4`;
    fs.writeFileSync(path.join(proxiesDir(t), live), 'being written');
    await t.core.call('project:close', {});
    await t.core.call('project:open', { path: t.projectDir });
    expect(fs.readdirSync(proxiesDir(t))).toEqual([live]);
    fs.rmSync(path.join(proxiesDir(t), live));
    expect(fs.readdirSync(path.join(t.projectDir, 'cache', 'posters'))).not.toContain('orphan.jpg');

    await waitFor('the proxy job to resume', async () =>
      (await project.core.call('jobs:list', {})).some((j) => j.kind === 'proxy' && j.state !== 'cancelled'),
    );
    await t.session().jobs.idle();
    expect(await videoAt(t.core, avi)).toMatchObject({ status: 'ready', proxy: 'ready' });
  });
});
