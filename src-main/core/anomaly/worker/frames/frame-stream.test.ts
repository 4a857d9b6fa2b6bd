import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeCorruptVideo,
  makeAviWithDroppedFrames,
  makeFakeVideo,
  makeTruncatedVideo,
  makeVideo,
} from '../../../../../tests/fixtures/make-videos.js';
import { makeCounterVideo, nearestFrame, referenceGreys } from '../../../../../tests/fixtures/counter-video.js';
import { ApiError } from '../../../../shared/errors.js';
import { MediaFailure } from '../../../media/media-failure.js';
import { resolveMediaTools } from '../../../media/media-tools.js';
import { FRAME_STREAM_DEFAULTS, openFrameStream, type FrameStream, type VideoFrame } from './frame-stream.js';
import { slidingWindows } from './sliding-windows.js';

const tools = resolveMediaTools();
const COUNTER_FRAMES = 60;

let dir: string;
let counter: string;
/** Red value of each counter frame decoded plainly: identifies a frame by its grey. */
let greyOfFrame: number[];

function frameShown(frame: VideoFrame): number {
  return nearestFrame(frame.rgb, greyOfFrame);
}

async function collect(stream: FrameStream): Promise<VideoFrame[]> {
  const frames: VideoFrame[] = [];
  for await (const frame of stream) frames.push(frame);
  return frames;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function processGone(pid: number | undefined): boolean {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(20);
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-frame-stream-'));
  counter = await makeCounterVideo(path.join(dir, 'counter.mp4'), { frames: COUNTER_FRAMES, step: 3 });
  greyOfFrame = await referenceGreys(counter);
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('openFrameStream', () => {
  it('yields every frame once, in order, at the working size, showing the right picture', async () => {
    expect(greyOfFrame).toHaveLength(COUNTER_FRAMES);
    const stream = await openFrameStream(counter, { longSide: 48, tools });
    expect([stream.width, stream.height]).toEqual([48, 32]);
    expect(stream.expectedFrames).toBe(COUNTER_FRAMES);
    const frames = await collect(stream);
    expect(frames.map((f) => f.index)).toEqual(Array.from({ length: COUNTER_FRAMES }, (_, i) => i));
    expect(frames.map(frameShown)).toEqual(frames.map((f) => f.index));
    for (const f of frames) expect([f.width, f.height, f.rgb.length]).toEqual([48, 32, 48 * 32 * 3]);
    expect(stream.finished).toBe(true);
  });

  it('reports the frame rate the decoder delivered: the header\'s, unless an AVI index promised dropped frames', async () => {
    const whole = await openFrameStream(counter, { longSide: 48, tools });
    expect(whole.deliveredFps).toBeNull();
    await collect(whole);
    expect(whole.deliveredFps).toBe(whole.fps);

    // 12 frames over 4 s in 60 index slots at 15 fps: the timeline needs ~3 frames a second, not 15
    const avi = await makeAviWithDroppedFrames(path.join(dir, 'dropped.avi'));
    const gappy = await openFrameStream(avi, { longSide: 48, tools });
    expect(gappy.fps).toBe(15);
    expect(await collect(gappy)).toHaveLength(12);
    expect(gappy.deliveredFps).toBeGreaterThan(2.9);
    expect(gappy.deliveredFps).toBeLessThan(3.4);
  });

  it('with a sample rate, delivers frames 0, k, 2k, … under their video index, showing those pictures, and counts every decoded frame', async () => {
    // The counter video is 25 fps: 12 fps keeps every 2nd frame (k = round(25 / 12)), 8 fps every 3rd.
    for (const [sampleFps, k] of [[12, 2], [8, 3]] as const) {
      const stream = await openFrameStream(counter, { longSide: 48, tools, sampleFps });
      expect(stream.frameStep).toBe(k);
      const frames = await collect(stream);
      const kept = Array.from({ length: Math.ceil(COUNTER_FRAMES / k) }, (_, i) => i * k);
      expect(frames.map((f) => f.index)).toEqual(kept);
      expect(frames.map(frameShown)).toEqual(kept);
      expect(stream.framesDelivered).toBe(kept.length);
      expect(stream.framesDecoded).toBe(COUNTER_FRAMES);
      expect(stream.deliveredFps).toBe(stream.fps);
    }
    // 0 keeps every frame; a damaged file still fails when only some frames are kept.
    const every = await openFrameStream(counter, { longSide: 48, tools, sampleFps: 0 });
    expect([every.frameStep, (await collect(every)).length, every.framesDecoded]).toEqual([1, COUNTER_FRAMES, COUNTER_FRAMES]);
    const cut = await makeTruncatedVideo(path.join(dir, 'cut-sampled.mp4'));
    await expect(collect(await openFrameStream(cut, { longSide: 48, tools, sampleFps: 5 }))).rejects.toThrow(/cut-sampled\.mp4: the file is truncated or corrupt/);
    await expect(openFrameStream(counter, { longSide: 48, tools, sampleFps: -1 })).rejects.toThrow(/sampleFps must be a number ≥ 0, got -1/);
  }, 30_000);

  it('never enlarges a small video and decodes a rotated one at its displayed size', async () => {
    const small = await makeVideo(path.join(dir, 'small.mp4'), { seconds: 0.4, width: 160, height: 120 });
    const same = await openFrameStream(small, { longSide: 320, tools });
    expect([same.width, same.height]).toEqual([160, 120]);
    expect(await collect(same)).toHaveLength(10);

    const turned = await makeVideo(path.join(dir, 'turned.mp4'), { seconds: 0.4, width: 160, height: 120, rotate: 90 });
    const upright = await openFrameStream(turned, { longSide: 80, tools });
    expect([upright.width, upright.height]).toEqual([60, 80]);
    const frames = await collect(upright);
    expect(frames).toHaveLength(10);
    expect(frames[9]!.rgb.length).toBe(60 * 80 * 3);
  });

  it('reads ahead at most bufferFrames frames while the consumer is paused, then delivers the rest', async () => {
    // 400 frames of 160×120 rgb24 are 23 MB: far more than a pipe and the queue hold.
    const long = await makeVideo(path.join(dir, 'long.mp4'), { seconds: 16, width: 160, height: 120 });
    const stream = await openFrameStream(long, { longSide: 160, tools, bufferFrames: 3 });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.index).toBe(0);
    expect((await iterator.next()).value?.index).toBe(1);
    await waitFor(() => stream.framesRead === 2 + 3);
    await sleep(400);
    expect(stream.framesRead).toBe(5);
    expect(stream.finished).toBe(false);
    expect(stream.bufferedBytes).toBeLessThan(4 * stream.frameBytes);
    let count = 2;
    let maxAhead = 0;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      expect(r.value.index).toBe(count++);
      maxAhead = Math.max(maxAhead, stream.framesRead - stream.framesDelivered);
    }
    expect(count).toBe(400);
    expect(maxAhead).toBeLessThanOrEqual(3);
  }, 30_000);

  it('reads ahead as many frames as fit in bufferBytes at the working size, and says what is wrong with a bad budget', async () => {
    const long = await makeVideo(path.join(dir, 'long-bytes.mp4'), { seconds: 4, width: 160, height: 120 });
    // 10 frames of 80×60 rgb24 (14,400 bytes each), and a little more.
    const stream = await openFrameStream(long, { longSide: 80, tools, bufferBytes: 10 * 14_400 + 100 });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.index).toBe(0);
    await waitFor(() => stream.framesRead === 1 + 10);
    await sleep(300);
    expect(stream.framesRead).toBe(11);
    stream.close();
    // Never fewer than the default read-ahead, however small the budget.
    const small = await openFrameStream(long, { longSide: 80, tools, bufferBytes: 1 });
    const first = small[Symbol.asyncIterator]();
    await first.next();
    await waitFor(() => small.framesRead === 1 + FRAME_STREAM_DEFAULTS.bufferFrames);
    small.close();
    await expect(openFrameStream(long, { longSide: 80, tools, bufferBytes: 0 })).rejects.toThrow(/bufferBytes must be positive, got 0/);
  }, 30_000);

  it('cancel kills ffmpeg and rejects with CANCELLED', async () => {
    const controller = new AbortController();
    const stream = await openFrameStream(counter, { longSide: 48, tools, bufferFrames: 2, signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await waitFor(() => stream.framesRead === 3);
    expect(processGone(stream.pid)).toBe(false);
    controller.abort();
    const err: unknown = await iterator.next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('CANCELLED');
    await waitFor(() => stream.finished && processGone(stream.pid));
    await expect(openFrameStream(counter, { longSide: 48, tools, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('leaving the loop early kills ffmpeg', async () => {
    const stream = await openFrameStream(counter, { longSide: 48, tools, bufferFrames: 2 });
    for await (const frame of stream) if (frame.index === 1) break;
    await waitFor(() => stream.finished && processGone(stream.pid));
    expect(stream.framesDelivered).toBe(2);
  });

  it('says why a file cannot be streamed: missing, not a video, corrupt, truncated', async () => {
    await expect(openFrameStream(path.join(dir, 'nowhere.mp4'), { longSide: 48, tools })).rejects.toThrow(/nowhere\.mp4: file not found/);
    const fake = makeFakeVideo(path.join(dir, 'fake.mp4'));
    await expect(openFrameStream(fake, { longSide: 48, tools })).rejects.toThrow(/fake\.mp4: not a video file/);

    const corrupt = await makeCorruptVideo(path.join(dir, 'corrupt.mp4'));
    const broken = await openFrameStream(corrupt, { longSide: 48, tools });
    const err: unknown = await collect(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaFailure);
    expect((err as Error).message).toMatch(/corrupt\.mp4: the file is truncated or corrupt \(decoding failed near frame \d+\): \S.*/);

    const cut = await makeTruncatedVideo(path.join(dir, 'cut.mp4'));
    const short = await openFrameStream(cut, { longSide: 48, tools });
    await expect(collect(short)).rejects.toThrow(/cut\.mp4: the file is truncated or corrupt/);
    // The same damage is only logged when asked to keep going: the frames before it still come out.
    const lenient = await openFrameStream(cut, { longSide: 48, tools, damage: 'ignore' });
    const frames = await collect(lenient);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThan(75);
  }, 30_000);

  it('a WebM whose frames stop short of its declared end fails, whichever ffmpeg decodes it; whole files and late starts do not', async () => {
    // ffmpeg stops quietly at a damaged or missing cluster; what it prints there differs between 4.1 and 5.1.
    const damaged = await makeCorruptVideo(path.join(dir, 'damaged.webm'), { codec: 'vp9' });
    await expect(collect(await openFrameStream(damaged, { longSide: 48, tools }))).rejects.toThrow(/damaged\.webm: the file is truncated or corrupt/);
    const cut = await makeTruncatedVideo(path.join(dir, 'cut.webm'), { codec: 'vp9' });
    await expect(collect(await openFrameStream(cut, { longSide: 48, tools }))).rejects.toThrow(/cut\.webm: the file is truncated or corrupt/);

    const whole = await makeVideo(path.join(dir, 'whole.webm'), { seconds: 2, fps: '25', codec: 'vp9', audio: true });
    expect(await collect(await openFrameStream(whole, { longSide: 48, tools }))).toHaveLength(50);
    const late = await makeVideo(path.join(dir, 'late.mp4'), { seconds: 2, fps: '25', startTime: 10 });
    expect(await collect(await openFrameStream(late, { longSide: 48, tools }))).toHaveLength(50);
  }, 30_000);

  it('a frame stream that stops mid-frame is an error that says where', async () => {
    // A real ffmpeg whose output pipe is cut after 1.5 frames (48×32 rgb24 = 4608 bytes each).
    const cutter = path.join(dir, 'cut-ffmpeg.sh');
    fs.writeFileSync(cutter, `#!/bin/sh\n"${tools.ffmpeg}" "$@" | head -c 6912\n`, { mode: 0o755 });
    const stream = await openFrameStream(counter, { longSide: 48, tools: { ...tools, ffmpeg: cutter } });
    const seen: number[] = [];
    const err: unknown = await (async () => {
      for await (const frame of stream) seen.push(frame.index);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([0]);
    expect((err as Error).message).toMatch(/counter\.mp4: frame 1: the frame stream is truncated: it ended 2304 bytes into a frame of 4608 \(48×32 rgb24\)/);
  });

  it('feeds sliding windows of consecutive frames', async () => {
    const stream = await openFrameStream(counter, { longSide: 48, tools });
    const windows: { start: number; shown: number[] }[] = [];
    for await (const w of slidingWindows(stream, { length: 7, stride: 10 })) {
      windows.push({ start: w.start, shown: w.frames.map(frameShown) });
    }
    expect(windows.map((w) => w.start)).toEqual([0, 10, 20, 30, 40, 50]);
    for (const w of windows) expect(w.shown).toEqual(Array.from({ length: 7 }, (_, k) => w.start + k));
  });
});
