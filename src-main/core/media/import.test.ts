import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importAndWait, openTestProject, videoAt, type TestProject } from '../../../tests/fixtures/core-harness.js';
import {
  makeAudioOnly,
  makeCorruptVideo,
  makeFakeVideo,
  makeMidGopTransportStream,
  makeTruncatedVideo,
  makeVideo,
} from '../../../tests/fixtures/make-videos.js';

let t: TestProject;

beforeEach(async () => {
  t = await openTestProject();
});

afterEach(async () => {
  await t.dispose();
});

const inMedia = (...parts: string[]) => path.join(t.media, ...parts);

describe('videos:import', () => {
  it('reads the metadata of H.264 mp4, VP9 webm, 29.97 fps and offset-start videos', async () => {
    const h264 = await makeVideo(inMedia('h264.mp4'), { codec: 'h264', fps: '25', seconds: 2, audio: true });
    const vp9 = await makeVideo(inMedia('vp9.webm'), { codec: 'vp9', fps: '25', seconds: 2 });
    const ntsc = await makeVideo(inMedia('ntsc.mp4'), { fps: '30000/1001', seconds: 2 });
    const late = await makeVideo(inMedia('late.mp4'), { fps: '25', seconds: 1, startTime: 5 });

    const { jobId } = await t.core.call('videos:import', { paths: [t.media], recursive: true });
    expect(typeof jobId).toBe('number');
    await t.session().jobs.idle();
    const job = t.session().jobs.get(jobId);
    expect(job).toMatchObject({ kind: 'import', state: 'succeeded', progress: 1 });
    expect(job.result).toEqual({ kind: 'import', scanned: 4, imported: 4, duplicates: 0, relinked: 0, failed: [] });

    const a = await videoAt(t.core, h264);
    expect(a).toMatchObject({
      name: 'h264.mp4', status: 'ready', error: null, codec: 'h264', pixelFormat: 'yuv420p',
      width: 160, height: 120, frameCount: 50, avgFrameRate: '25/1', realFrameRate: '25/1', fps: 25,
      startTime: 0, rotation: 0, hasAudio: true, playable: true, proxy: 'none', posterReady: true,
      variableFrameRate: false,
    });
    expect(a.container).toContain('mp4');
    expect(a.durationSec).toBeCloseTo(2, 1);
    expect(a.size).toBe(fs.statSync(h264).size);
    expect(a.hash).toMatch(/^sampled-sha256:[0-9a-f]{64}$/);

    // WebM does not store a frame count: it is counted.
    const b = await videoAt(t.core, vp9);
    expect(b).toMatchObject({ codec: 'vp9', frameCount: 50, fps: 25, playable: true, status: 'ready', hasAudio: false });
    expect(b.container).toContain('webm');

    const c = await videoAt(t.core, ntsc);
    expect(c.avgFrameRate).toBe('30000/1001');
    expect(c.fps).toBeCloseTo(29.97, 2);
    expect(c.frameCount).toBe(60);

    const d = await videoAt(t.core, late);
    expect(d.startTime).toBeCloseTo(5, 3);
    expect(d.frameCount).toBe(25);

    // Posters are JPEGs under cache/posters, recorded relative to the cache folder.
    for (const video of [a, b, c, d]) {
      const poster = t.core.mediaFile(video.id, 'poster');
      expect(poster.contentType).toBe('image/jpeg');
      expect(path.relative(path.join(t.projectDir, 'cache', 'posters'), poster.path)).not.toMatch(/^\.\./);
      expect(fs.readFileSync(poster.path).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(t.core.mediaFile(video.id, 'video').path).toBe(video.path);
    }
    const row = t.session().videos.get(a.id)!;
    expect(row.poster_path).toMatch(/^posters\/[0-9a-f]{64}\.jpg$/);

    // The Library hears about new videos while the import runs.
    const announced = new Set(t.changes.flatMap((c) => c.ids ?? []));
    for (const video of [a, b, c, d]) expect(announced.has(video.id)).toBe(true);
  });

  it('fails bad files one by one with a specific reason and imports the rest', async () => {
    const good = await makeVideo(inMedia('good.mp4'), { seconds: 1 });
    const corrupt = await makeCorruptVideo(inMedia('corrupt.mp4'));
    const truncated = await makeTruncatedVideo(inMedia('truncated.mp4'));
    const text = makeFakeVideo(inMedia('notes.mp4'));
    const audio = await makeAudioOnly(inMedia('song.mp4'));
    const empty = inMedia('empty.mp4');
    fs.writeFileSync(empty, '');
    const missing = inMedia('never-existed.mp4');

    const paths = [good, corrupt, truncated, text, audio, empty, missing];
    const { job, summary } = await importAndWait(t.core, paths);
    expect(job.state).toBe('succeeded');
    expect(summary).toMatchObject({ scanned: 7, imported: 1, duplicates: 0, relinked: 0 });
    const reasons = Object.fromEntries(summary.failed.map((f) => [path.basename(f.path), f.reason]));
    expect(reasons).toEqual({
      'corrupt.mp4': expect.stringMatching(/^file is truncated or corrupt: frames do not decode \(.+\)$/),
      'truncated.mp4': expect.stringMatching(/^file is truncated or corrupt: /),
      'notes.mp4': 'not a video file (ffprobe: Invalid data found when processing input)',
      'song.mp4': 'no video stream',
      'empty.mp4': 'file is empty',
      'never-existed.mp4': 'file not found',
    });

    // Each failure is also a row the Library shows, with the same reason.
    for (const file of paths.slice(1)) {
      const video = await videoAt(t.core, file);
      expect(video.status).toBe('failed');
      expect(video.error).toBe(reasons[path.basename(file)]);
      expect(video.posterReady).toBe(false);
    }
    expect((await videoAt(t.core, good)).status).toBe('ready');
    // No poster was left behind for a file that failed its decode check.
    expect(fs.readdirSync(path.join(t.projectDir, 'cache', 'posters'))).toHaveLength(1);
  });

  it('accepts footage that starts between keyframes but not a damaged WebM', async () => {
    const cut = await makeMidGopTransportStream(inMedia('camera.ts'));
    const damaged = await makeCorruptVideo(inMedia('damaged.webm'), { codec: 'vp9' });
    const { summary } = await importAndWait(t.core, [cut, damaged]);
    // ffmpeg 4.1 and 5.1 print different things about the damaged cluster (or nothing a pattern
    // knows), and both stop there with exit code 0: what decoded is what gives it away.
    expect(summary.failed).toEqual([
      {
        path: damaged,
        reason: expect.stringMatching(
          /^file is truncated or corrupt: frames decode only up to (0|1)\.\d\d s, but the file says its video lasts 2\.00 s$/,
        ),
      },
    ]);
    expect(await videoAt(t.core, cut)).toMatchObject({ status: 'ready', proxy: 'ready', codec: 'h264', playable: false });
  });

  it('refuses a WebM and an MKV cut off part way, short or long, whichever ffmpeg decodes them', async () => {
    // 4.1 reports the cut as "Read error", 5.1 as "File ended prematurely": neither is needed.
    const short = await makeTruncatedVideo(inMedia('short.webm'), { codec: 'vp9' });
    const long = await makeTruncatedVideo(inMedia('long.mkv'), { codec: 'vp9', seconds: 12 });
    const whole = await makeVideo(inMedia('whole.mkv'), { codec: 'vp9', seconds: 5, audio: true });
    const { summary } = await importAndWait(t.core, [short, long, whole]);
    const reasons = Object.fromEntries(summary.failed.map((f) => [path.basename(f.path), f.reason]));
    expect(reasons).toEqual({
      'short.webm': expect.stringMatching(/^file is truncated or corrupt: frames decode only up to \d\.\d\d s, but the file says its video lasts 3\.00 s$/),
      'long.mkv': expect.stringMatching(/^file is truncated or corrupt: no frame decodes after \d+\.\d\d s, but the file says its video lasts 12\.00 s$/),
    });
    expect(await videoAt(t.core, whole)).toMatchObject({ status: 'ready', error: null });
  });

  it('does not import the same content twice', async () => {
    const original = await makeVideo(inMedia('bees.mp4'), { seconds: 1 });
    const first = await importAndWait(t.core, [original]);
    expect(first.summary).toMatchObject({ imported: 1, duplicates: 0 });

    const again = await importAndWait(t.core, [original]);
    expect(again.summary).toMatchObject({ scanned: 1, imported: 0, duplicates: 1, failed: [] });

    const copy = inMedia('copy of bees.mp4');
    fs.copyFileSync(original, copy);
    const copied = await importAndWait(t.core, [copy]);
    expect(copied.summary).toMatchObject({ imported: 0, duplicates: 1, relinked: 0 });

    // A file and its copy in one import, handled concurrently, still make one row.
    const other = await makeVideo(inMedia('sub', 'wasps.mp4'), { seconds: 1, pattern: 'mandelbrot' });
    fs.copyFileSync(other, inMedia('sub', 'wasps again.mp4'));
    const both = await importAndWait(t.core, [inMedia('sub')]);
    expect(both.summary).toMatchObject({ scanned: 2, imported: 1, duplicates: 1 });

    // Which of the two twins is kept depends on which finished hashing first.
    const names = (await t.core.call('videos:list', {})).map((v) => v.name);
    expect(names).toHaveLength(2);
    expect(names[0]).toBe('bees.mp4');
    expect(names[1]).toMatch(/^wasps( again)?\.mp4$/);
  });

  it('imports folders recursively and ignores files that are not videos', async () => {
    await makeVideo(inMedia('top.mp4'), { seconds: 1 });
    await makeVideo(inMedia('sub', 'middle.webm'), { seconds: 1, codec: 'vp8' });
    await makeVideo(inMedia('sub', 'deeper', 'bottom.MOV'), { seconds: 1, pattern: 'smptebars' });
    fs.writeFileSync(inMedia('readme.txt'), 'not a video');
    fs.writeFileSync(inMedia('sub', 'labels.csv'), 'a,b\n');
    makeFakeVideo(inMedia('sub', '._middle.webm'));

    const flat = await importAndWait(t.core, [t.media], false);
    expect(flat.summary).toMatchObject({ scanned: 1, imported: 1, failed: [] });

    const deep = await importAndWait(t.core, [t.media], true);
    expect(deep.summary).toMatchObject({ scanned: 3, imported: 2, duplicates: 1, failed: [] });
    const names = (await t.core.call('videos:list', {})).map((v) => v.name);
    expect(names).toEqual(['bottom.MOV', 'middle.webm', 'top.mp4']);
  });

  it('refuses an import without an open project and bad params', async () => {
    expect(await t.core.invoke('videos:import', { paths: [] })).toMatchObject({ error: { code: 'INVALID_PARAMS' } });
    await t.core.call('project:close', {});
    expect(await t.core.invoke('videos:import', { paths: [t.media] })).toMatchObject({ error: { code: 'NO_PROJECT' } });
  });
});
