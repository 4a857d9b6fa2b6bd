import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeCorruptVideo,
  makeFakeVideo,
  makeTruncatedVideo,
  makeVideo,
} from '../../../../tests/fixtures/make-videos.js';
import { makeCounterVideo, nearestFrame, referenceGreys, runFfmpeg } from '../../../../tests/fixtures/counter-video.js';
import { resolveMediaTools } from '../../media/media-tools.js';
import { probeVideo } from '../../media/probe.js';
import { ClipCache } from './clip-cache.js';
import type { ClipRef } from './clip-ref.js';
import type { ClipSpec } from './clip-spec.js';

const tools = resolveMediaTools();
const FRAME_COUNT = 100;
/** Frame N is grey 16 + 2N. */
const COUNTER = { frames: FRAME_COUNT, step: 2 };

let dir: string;
let counter: string;
let offsetCounter: string;
let vfrCounter: string;
/** Mean red value of every frame of the counter videos, decoded plainly: identifies a frame by its grey. */
let greyOfFrame: number[];

/** The index of the counter frame each of a clip's frames shows. */
function framesShown(bytes: Uint8Array, spec: ClipSpec): number[] {
  const frameBytes = spec.size * spec.size * 3;
  return Array.from({ length: spec.frames }, (_, k) => nearestFrame(bytes.subarray(k * frameBytes, (k + 1) * frameBytes), greyOfFrame));
}

function clipOf(videoPath: string, startFrame: number, endFrame: number, fps = 25, hash?: string): ClipRef {
  return {
    clipId: startFrame,
    videoPath,
    videoHash: hash ?? path.basename(videoPath),
    startFrame,
    endFrame,
    startSec: startFrame / fps,
    endSec: endFrame / fps,
    fps,
  };
}

function freshCacheDir(): string {
  return fs.mkdtempSync(path.join(dir, 'cache-'));
}

/** Files a decode may leave while it runs; none may remain once it is over. */
function leftovers(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.decode-|\.partial-/.test(name));
}

/** ffmpeg processes this test process started (Linux /proc). */
function runningFfmpegChildren(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[1]) === process.pid && stat.includes('(ffmpeg)');
      } catch {
        return false;
      }
    })
    .map(Number);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-clip-cache-'));
  [counter, offsetCounter, vfrCounter] = await Promise.all([
    makeCounterVideo(path.join(dir, 'counter.mp4'), COUNTER),
    makeCounterVideo(path.join(dir, 'counter-offset.mp4'), { ...COUNTER, startTime: 1.5 }),
    // 25 frames at 25 fps, then one frame every 0.08 s.
    makeCounterVideo(path.join(dir, 'counter-vfr.mp4'), { ...COUNTER, setpts: 'if(lt(N,25),N,25+(N-25)*2)/25/TB' }),
  ]);
  greyOfFrame = await referenceGreys(counter);
  expect(greyOfFrame).toHaveLength(FRAME_COUNT);
  for (let f = 1; f < FRAME_COUNT; f++) expect(greyOfFrame[f]!).toBeGreaterThan(greyOfFrame[f - 1]!);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ClipCache frame choice', () => {
  it('decodes the centre frame of T equal parts, counted from the first decoded frame', async () => {
    const spec: ClipSpec = { frames: 8, size: 16, fps: null };
    const cache = new ClipCache(freshCacheDir(), spec, tools);
    const clips = [clipOf(counter, 0, 16), clipOf(counter, 50, 100), clipOf(counter, 97, 100)];
    // MPEG-TS streams start at 1.4 s by default.
    const transportStream = path.join(dir, 'counter.ts');
    await runFfmpeg(['-i', counter, '-c', 'copy', transportStream]);
    const offsetClips = [clipOf(offsetCounter, 0, 16), clipOf(offsetCounter, 50, 100), clipOf(transportStream, 50, 100)];
    const result = await cache.ensure([...clips, ...offsetClips]);
    expect(result.failed).toEqual([]);
    // One ffmpeg run per video, not per clip.
    expect(cache.stats.decodePasses).toBe(3);
    const [a, b, c, d, e, f] = await cache.readMany([...clips, ...offsetClips]);
    expect(framesShown(a!, spec)).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
    expect(framesShown(b!, spec)).toEqual([53, 59, 65, 71, 78, 84, 90, 96]);
    expect(framesShown(c!, spec)).toEqual([97, 97, 97, 98, 98, 99, 99, 99]);
    // A stream that starts at 1.5 s: frame 0 is still its first frame.
    expect(framesShown(d!, spec)).toEqual(framesShown(a!, spec));
    expect(framesShown(e!, spec)).toEqual(framesShown(b!, spec));
    expect(framesShown(f!, spec)).toEqual(framesShown(b!, spec));
    expect(a).toHaveLength(8 * 16 * 16 * 3);
  });

  it('samples at a frame rate on the frames a variable-frame-rate video really shows', async () => {
    const spec: ClipSpec = { frames: 8, size: 8, fps: 4 };
    const cache = new ClipCache(freshCacheDir(), spec, tools);
    // 100 frames over 25·0.04 + 75·0.08 = 7 s: average rate 100 / 7.
    const clip = { ...clipOf(vfrCounter, 0, 50, 100 / 7), startSec: 0, endSec: 3 };
    const late = { ...clipOf(vfrCounter, 30, 40, 100 / 7), startSec: 1.4, endSec: 2.2 };
    expect(await cache.ensure([clip, late])).toEqual({ failed: [] });
    expect(cache.stats.frameTimeProbes).toBe(1);
    expect(framesShown(await cache.read(clip), spec)).toEqual([0, 6, 12, 18, 25, 28, 31, 34]);
    // From frame 30 (1.4 s): 1.65 s is frame 33, 1.9 s frame 36, 2.15 s frame 39, then held.
    expect(framesShown(await cache.read(late), spec)).toEqual([30, 33, 36, 39, 39, 39, 39, 39]);
  });

  it('applies the rotation the player applies and crops the centre of the short side', async () => {
    // Left half white, right half black, stored landscape with a 90° display rotation.
    const file = path.join(dir, 'rotated.mp4');
    const plain = path.join(dir, 'halves.mp4');
    await runFfmpeg(['-f', 'lavfi', '-i', "nullsrc=s=160x120:r=25,geq=lum='if(lt(X,W/2),235,16)':cb=128:cr=128",
      '-frames:v', '10', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', plain]);
    await runFfmpeg(['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', file]);
    const spec: ClipSpec = { frames: 1, size: 8, fps: null };
    const cache = new ClipCache(freshCacheDir(), spec, tools);
    const [upright, rotated] = await cache.readMany([clipOf(plain, 0, 10), clipOf(file, 0, 10)]);
    const isWhite = (bytes: Uint8Array, x: number, y: number) => bytes[(y * 8 + x) * 3]! > 200;
    // Upright: 160×120 → 11×8, centre 8×8 keeps white on the left and black on the right.
    expect([isWhite(upright!, 0, 0), isWhite(upright!, 7, 0), isWhite(upright!, 0, 7)]).toEqual([true, false, true]);
    // This ffmpeg writes the tag as a matrix that the probe (and so the player) reads as 270° clockwise:
    // the left half ends up at the bottom.
    const { probe } = await probeVideo(tools, file, fs.statSync(file).size);
    expect(probe.rotation).toBe(270);
    expect([isWhite(rotated!, 0, 0), isWhite(rotated!, 7, 0), isWhite(rotated!, 0, 7)]).toEqual([false, false, true]);
  });
});

describe('ClipCache storage', () => {
  it('reuses cached clips without running ffmpeg again, even once the video is gone', async () => {
    const spec: ClipSpec = { frames: 4, size: 8, fps: null };
    const cacheDir = freshCacheDir();
    const file = path.join(dir, 'reuse.mp4');
    fs.copyFileSync(counter, file);
    const clips = [clipOf(file, 0, 25), clipOf(file, 25, 50), clipOf(file, 25, 50)];
    const first = new ClipCache(cacheDir, spec, tools);
    const progress: number[] = [];
    await first.ensure(clips, { onProgress: (done, total) => progress.push(done * 10 + total) });
    expect(progress.at(-1)).toBe(22); // 2 of 2 distinct clips
    expect(first.stats).toMatchObject({ decodePasses: 1, clipsWritten: 2 });
    const bytes = await first.read(clips[0]!);
    fs.rmSync(file);

    const second = new ClipCache(cacheDir, spec, tools);
    expect(clips.every((clip) => second.has(clip))).toBe(true);
    expect(await second.ensure(clips)).toEqual({ failed: [] });
    expect(await second.read(clips[0]!)).toEqual(bytes);
    expect(second.stats.decodePasses).toBe(0);
    expect(fs.existsSync(path.join(cacheDir, 't4-s8-even', 'reuse_mp4', '0-25.u8'))).toBe(true);
    expect(leftovers(cacheDir)).toEqual([]);
  });

  it('runs at most two ffmpeg processes at once and sweeps what a killed process left', async () => {
    const spec: ClipSpec = { frames: 2, size: 8, fps: null };
    const cacheDir = freshCacheDir();
    const files = Array.from({ length: 6 }, (_, i) => path.join(dir, `copy-${i}.mp4`));
    for (const file of files) fs.copyFileSync(counter, file);
    // A temp file of a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max default).
    const videoDir = path.join(cacheDir, 't2-s8-even', 'copy-0_mp4');
    fs.mkdirSync(videoDir, { recursive: true });
    fs.writeFileSync(path.join(videoDir, '0-10.partial-4194305-abcd1234.u8'), 'half');
    const cache = new ClipCache(cacheDir, spec, tools);
    let most = 0;
    const ensuring = cache.ensure(files.map((file) => clipOf(file, 0, 10)));
    let finished = false;
    void ensuring.finally(() => (finished = true));
    while (!finished) {
      most = Math.max(most, runningFfmpegChildren().length);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(await ensuring).toEqual({ failed: [] });
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
    expect(cache.stats.decodePasses).toBe(6);
    expect(leftovers(cacheDir)).toEqual([]);
  });

  it('decodes what is needed now before background work queued earlier', async () => {
    const spec: ClipSpec = { frames: 2, size: 8, fps: null };
    const files = Array.from({ length: 5 }, (_, i) => path.join(dir, `queued-${i}.mp4`));
    for (const file of files) fs.copyFileSync(counter, file);
    const cache = new ClipCache(freshCacheDir(), spec, tools, { maxProcesses: 1 });
    let backgroundDone = 0;
    const background = cache.ensure(files.slice(1).map((file) => clipOf(file, 0, 10)), {
      background: true,
      onProgress: (done) => (backgroundDone = done),
    });
    await cache.ensure([clipOf(files[0]!, 0, 10)]);
    // Only the background run already started when the urgent one arrived got ahead of it.
    expect(backgroundDone).toBeLessThanOrEqual(1);
    expect(await background).toEqual({ failed: [] });
    expect(backgroundDone).toBe(4);
  });

  it('decodes a missing clip on read, and a read waits for the decode already under way', async () => {
    const spec: ClipSpec = { frames: 2, size: 8, fps: null };
    const cache = new ClipCache(freshCacheDir(), spec, tools);
    const clip = clipOf(counter, 10, 14);
    expect(cache.has(clip)).toBe(false);
    const ensuring = cache.ensure([clip]);
    const [read] = await Promise.all([cache.read(clip), ensuring]);
    expect(framesShown(read, spec)).toEqual([11, 13]);
    expect(cache.stats.decodePasses).toBe(1);
    const onDemand = clipOf(counter, 20, 24);
    expect(framesShown(await cache.read(onDemand), spec)).toEqual([21, 23]);
    expect(cache.has(onDemand)).toBe(true);
  });

  it('stops at once when cancelled: ffmpeg killed, nothing half-written left', async () => {
    const spec: ClipSpec = { frames: 8, size: 32, fps: null };
    const cacheDir = freshCacheDir();
    // 82 s (2050 frames) made by looping 2 s without re-encoding: quick to make, long to decode.
    const short = await makeVideo(path.join(dir, 'short.mp4'), { width: 640, height: 360, seconds: 2 });
    const long = path.join(dir, 'long.mp4');
    await runFfmpeg(['-stream_loop', '40', '-i', short, '-c', 'copy', long]);
    const cache = new ClipCache(cacheDir, spec, tools);
    const clips = [clipOf(long, 2000, 2040), clipOf(long, 0, 8)];
    const controller = new AbortController();
    const ensuring = cache.ensure(clips, { signal: controller.signal });
    const outcome = ensuring.then(
      () => 'finished',
      (error: Error) => error.message,
    );
    // Cancel while ffmpeg is really running.
    const started = Date.now();
    while (runningFfmpegChildren().length === 0 && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(runningFfmpegChildren().length).toBeGreaterThan(0);
    controller.abort();
    expect(await outcome).toBe('Cancelled.');
    expect(runningFfmpegChildren()).toEqual([]);
    expect(leftovers(cacheDir)).toEqual([]);
    expect(clips.some((clip) => cache.has(clip))).toBe(false);
    // Cancelled work is not remembered as failed: the next call decodes it.
    expect(await cache.ensure(clips.slice(1))).toEqual({ failed: [] });
  });
});

describe('ClipCache bad input', () => {
  it('names the file and the reason per clip, for missing, fake, truncated and corrupt videos', async () => {
    const spec: ClipSpec = { frames: 4, size: 8, fps: null };
    const cacheDir = freshCacheDir();
    const missing = path.join(dir, 'nowhere.mp4');
    const fake = makeFakeVideo(path.join(dir, 'fake.mp4'));
    const [truncated, corrupt] = await Promise.all([
      makeTruncatedVideo(path.join(dir, 'truncated.mp4')),
      makeCorruptVideo(path.join(dir, 'corrupt.mp4'), { width: 320, height: 240 }),
    ]);
    const good = clipOf(counter, 0, 10);
    const cache = new ClipCache(cacheDir, spec, tools);
    const clips = [
      clipOf(missing, 0, 10),
      clipOf(fake, 0, 10),
      clipOf(truncated, 0, 10),
      clipOf(truncated, 60, 70),
      clipOf(corrupt, 20, 30), // the garbage covers the middle of the file
      clipOf(counter, 90, 120), // past the end of a good video
      clipOf(counter, 5, 5),
      good,
    ];
    const { failed } = await cache.ensure(clips);
    const reasons = new Map(failed.map(({ clip, reason }) => [`${path.basename(clip.videoPath)} ${clip.startFrame}-${clip.endFrame}`, reason]));
    expect(reasons.get('nowhere.mp4 0-10')).toBe(`${missing}: file not found`);
    expect(reasons.get('fake.mp4 0-10')).toMatch(/fake\.mp4: ffmpeg could not decode it \(.*Invalid data/);
    expect(reasons.get('truncated.mp4 60-70')).toMatch(/truncated\.mp4: file is truncated or corrupt/);
    expect(reasons.get('corrupt.mp4 20-30')).toMatch(/corrupt\.mp4: file is truncated or corrupt/);
    expect(reasons.get('counter.mp4 90-120')).toMatch(/counter\.mp4: the video ends before frame 101/);
    expect(reasons.get('counter.mp4 5-5')).toMatch(/counter\.mp4: empty clip interval \[5, 5\)/);
    expect(failed.map((f) => f.clip)).not.toContain(good);
    expect(cache.has(good)).toBe(true);
    expect(leftovers(cacheDir)).toEqual([]);
    // A read of a failed clip says why at once, without another ffmpeg run.
    const passes = cache.stats.decodePasses;
    await expect(cache.read(clips[0]!)).rejects.toThrow(`${missing}: file not found`);
    expect(cache.stats.decodePasses).toBe(passes);
  });

  // Tests run as root, which chmod does not stop: a regular file where the clip folder should be is
  // the real file-system refusal here (ENOTDIR), as in media/cache-write.test.ts.
  it('a clip folder that cannot be written fails as the cache\'s fault, never as a video that cannot be decoded', async () => {
    const cacheDir = freshCacheDir();
    const spec: ClipSpec = { frames: 2, size: 8, fps: null };
    const clip = clipOf(counter, 0, 10, 25, 'blocked');
    const cache = new ClipCache(cacheDir, spec, tools);
    const specDir = path.dirname(path.dirname(cache.clipPath(clip)));
    fs.mkdirSync(specDir, { recursive: true });
    fs.writeFileSync(path.join(specDir, 'blocked'), 'a file where the folder should be');

    const failure = await cache.ensure([clip]).then(() => null, (err: unknown) => err as Error);
    expect(failure?.message).toMatch(/^The cache folder .*blocked cannot be written/);
    expect(failure?.message).not.toMatch(/decode|corrupt|truncated/);
    // not remembered as the clip's own failure: once the folder can be written, the clip decodes
    fs.rmSync(path.join(specDir, 'blocked'));
    expect(await cache.ensure([clip])).toEqual({ failed: [] });
    expect((await cache.read(clip)).length).toBe(2 * 8 * 8 * 3);
  });

  it('fails clearly when ffmpeg cannot be started', async () => {
    const cache = new ClipCache(freshCacheDir(), { frames: 1, size: 8, fps: null }, {
      ffmpeg: path.join(dir, 'no-ffmpeg'),
      ffprobe: tools.ffprobe,
    });
    await expect(cache.ensure([clipOf(counter, 0, 4)])).rejects.toThrow(/Cannot run .*no-ffmpeg: it was not found/);
  });
});
