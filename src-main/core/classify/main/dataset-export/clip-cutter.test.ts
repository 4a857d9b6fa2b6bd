import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMediaTools, type MediaTools } from '../../../media/media-tools.js';
import { makeCounterVideo, referenceGreys, runFfmpeg } from '../../../../../tests/fixtures/counter-video.js';
import { canStreamCopy, chooseEncoder, cutClip, probeVideoPackets, type VideoEncoder } from './clip-cutter.js';

const system = resolveMediaTools();
// The static ffmpeg 4.1 the app ships, next to the system's (Debian: 5.1): both must cut exactly.
const bundled: MediaTools = {
  ffmpeg: (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path,
  ffprobe: system.ffprobe,
};

let dir: string;
let video: string;

/** Which source frame each frame of the cut file shows, by its grey. */
async function framesOf(file: string, sourceGreys: readonly number[]): Promise<number[]> {
  const greys = await referenceGreys(file);
  return greys.map((grey) => {
    let best = 0;
    sourceGreys.forEach((value, f) => {
      if (Math.abs(value - grey) < Math.abs((sourceGreys[best] ?? 0) - grey)) best = f;
    });
    return best;
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-cut-'));
  // B-frames (reordered packets), a keyframe every 10 frames, a stream that starts at 1.5 s.
  const plain = await makeCounterVideo(path.join(dir, 'plain.mp4'), { frames: 60, step: 3 });
  video = path.join(dir, 'counter.mp4');
  await runFfmpeg(['-i', plain, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '10', '-g', '10', '-keyint_min', '10',
    '-sc_threshold', '0', '-bf', '2', '-pix_fmt', 'yuv420p', '-output_ts_offset', '1.5', video]);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('probeVideoPackets', () => {
  it('lists every frame in presentation order with the keyframes every 10 frames', async () => {
    const packets = await probeVideoPackets(system.ffprobe, video);
    expect(packets.times.length).toBe(60);
    expect(packets.times[0]).toBeCloseTo(1.5, 6);
    expect([...packets.keyframes]).toEqual([0, 10, 20, 30, 40, 50]);
    // B-frames: decode order is not presentation order, the case a copy's seek gets wrong.
    expect(packets.decodeIndex.some((decoded, frame) => decoded !== frame)).toBe(true);
  });
});

describe('canStreamCopy', () => {
  const packets = (decodeIndex: number[]) => ({
    times: Float64Array.from(decodeIndex, (_, i) => i / 25),
    keyframes: new Set([0, 4]),
    decodeSizes: decodeIndex.map(() => 100),
    decodeIndex,
  });
  const clip = (decodeIndex: number[], startFrame: number, endFrame: number) =>
    canStreamCopy({ codec: 'h264', packets: packets(decodeIndex), startFrame, endFrame });

  it('copies whole closed GOPs only', () => {
    const closed = [0, 1, 2, 3, 4, 5, 6, 7];
    expect([clip(closed, 0, 4), clip(closed, 4, 8), clip(closed, 0, 8)]).toEqual([true, true, true]);
    expect([clip(closed, 1, 4), clip(closed, 0, 3), clip(closed, 4, 9)]).toEqual([false, false, false]);
    expect(canStreamCopy({ codec: 'vp9', packets: packets(closed), startFrame: 0, endFrame: 4 })).toBe(false);
  });

  it('never copies across an open GOP, whose leading frames are decoded after its keyframe', () => {
    // Frames 2 and 3 are shown before keyframe 4 but decoded after it.
    const open = [0, 1, 3, 4, 2, 5, 6, 7];
    expect([clip(open, 0, 4), clip(open, 4, 8)]).toEqual([false, false]);
  });
});

describe('cutClip', () => {
  const cases: [string, MediaTools][] = [['system ffmpeg', system], ['bundled ffmpeg 4.1', bundled]];
  for (const [name, tools] of cases) {
    it(`cuts exactly the clip's frames with the ${name}: copied on keyframes, re-encoded otherwise`, async () => {
      const packets = await probeVideoPackets(tools.ffprobe, video);
      const encoder: VideoEncoder = await chooseEncoder(tools.ffmpeg);
      expect(encoder).toBe('libx264');
      const source = await referenceGreys(video);
      const clips: { start: number; end: number; mode: 'copy' | 'reencode' }[] = [
        { start: 10, end: 30, mode: 'copy' },
        { start: 50, end: 60, mode: 'copy' },
        { start: 13, end: 21, mode: 'reencode' },
        { start: 0, end: 7, mode: 'reencode' },
        { start: 41, end: 60, mode: 'reencode' },
      ];
      for (const clip of clips) {
        const out = path.join(dir, `${name.replace(/\W+/g, '-')}-${clip.start}-${clip.end}.mp4`);
        const request = { source: video, codec: 'h264', packets, startFrame: clip.start, endFrame: clip.end, out, encoder };
        expect(canStreamCopy(request)).toBe(clip.mode === 'copy');
        expect(await cutClip(tools, request)).toBe(clip.mode);
        const expected = Array.from({ length: clip.end - clip.start }, (_, i) => clip.start + i);
        expect(await framesOf(out, source), `${name} ${clip.start}-${clip.end}`).toEqual(expected);
      }
    });
  }

  it('cuts a variable-frame-rate video on its frames, not on a constant rate', async () => {
    // 20 frames at 25 fps, then 20 at 12.5 fps.
    const vfr = await makeCounterVideo(path.join(dir, 'vfr.mp4'), { frames: 40, step: 5, setpts: 'if(lt(N,20),N,20+(N-20)*2)/25/TB' });
    const packets = await probeVideoPackets(system.ffprobe, vfr);
    expect(packets.times.length).toBe(40);
    const out = path.join(dir, 'vfr-cut.mp4');
    const request = { source: vfr, codec: 'h264', packets, startFrame: 17, endFrame: 31, out, encoder: 'libx264' as const };
    expect(await cutClip(system, request)).toBe('reencode');
    expect(await framesOf(out, await referenceGreys(vfr))).toEqual(Array.from({ length: 14 }, (_, i) => 17 + i));
  });

  it('re-encodes with mpeg4 too, for an ffmpeg without libx264', async () => {
    const packets = await probeVideoPackets(system.ffprobe, video);
    const out = path.join(dir, 'mpeg4.mp4');
    const request = { source: video, codec: 'h264', packets, startFrame: 27, endFrame: 35, out, encoder: 'mpeg4' as const };
    expect(await cutClip(system, request)).toBe('reencode');
    expect(await framesOf(out, await referenceGreys(video))).toEqual([27, 28, 29, 30, 31, 32, 33, 34]);
  });
});
