import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAviWithDroppedFrames, makeVideo } from '../../../tests/fixtures/make-videos.js';
import { sampledContentHash, SAMPLE_BYTES } from './content-hash.js';
import { resolveMediaTools } from './media-tools.js';
import { playabilityOf } from './playability.js';
import { interpretProbe, parseProbeJson, probeFailureReason, probeVideo, rationalToNumber, rotationOf } from './probe.js';

let tmp: string;
const tools = resolveMediaTools();

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-probe-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function probeOf(file: string) {
  return (await probeVideo(tools, file, fs.statSync(file).size)).probe;
}

describe('probe', () => {
  it('reads the display rotation of a turned phone clip', async () => {
    const file = await makeVideo(path.join(tmp, 'upside-down.mp4'), { seconds: 1, rotate: 180 });
    expect((await probeOf(file)).rotation).toBe(180);
  });

  it('turns display-matrix rotation (counter-clockwise) into the clockwise rotate-tag convention', () => {
    expect(rotationOf({ side_data_list: [{ rotation: -90 }] })).toBe(90);
    expect(rotationOf({ side_data_list: [{ rotation: 90 }] })).toBe(270);
    expect(rotationOf({ tags: { rotate: '90' } })).toBe(90);
    expect(rotationOf({})).toBe(0);
  });

  it('parses frame-rate rationals and rejects the 0/0 ffprobe gives for unknown rates', () => {
    expect(rationalToNumber('30000/1001')).toBeCloseTo(29.97003, 5);
    expect(rationalToNumber('25/1')).toBe(25);
    expect(rationalToNumber('0/0')).toBeNull();
  });

  it('reads where the container says the video ends, and nothing where it says nothing', async () => {
    const webm = await probeOf(await makeVideo(path.join(tmp, 'end.webm'), { codec: 'vp9', seconds: 2 }));
    expect(webm.videoEndSec).toBeCloseTo(2, 2);
    const late = await probeOf(await makeVideo(path.join(tmp, 'late-end.mp4'), { seconds: 1, startTime: 5, audio: true }));
    expect(late.videoEndSec).toBeCloseTo(1, 1);
    const ts = await probeOf(await makeVideo(path.join(tmp, 'end.ts'), { seconds: 2 }));
    expect(ts.videoEndSec).toBeNull();
  });

  it("counts an AVI's frames, not its index's slots, when frames were dropped, and spreads them over its duration", async () => {
    const file = await makeAviWithDroppedFrames(path.join(tmp, 'dropped.avi'));
    const { probe, json } = await probeVideo(tools, file, fs.statSync(file).size);
    // 56 slots of 1/15 s, 12 frames in them (every fifth).
    expect(probe.frameCount).toBe(12);
    expect(probe.durationSec).toBeCloseTo(56 / 15, 1);
    expect(probe.fps).toBeCloseTo(12 / (probe.durationSec ?? NaN), 6);
    expect(probe.realFrameRate).toBe('15/1');
    // What decodes is what was counted.
    const decoded = execFileSync(tools.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
    expect(Number(decoded.trim())).toBe(12);
    // A re-read of the stored JSON agrees.
    expect(interpretProbe(parseProbeJson(json)).frameCount).toBe(12);
  });

  it('tells a truncated mp4 from a text file that ffprobe also rejects for lacking a moov atom', () => {
    const stderr = '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x1] moov atom not found\n/x/a.mp4: Invalid data found when processing input\n';
    expect(probeFailureReason(stderr, '/x/a.mp4', true)).toMatch(/^file is truncated or corrupt: moov atom not found/);
    expect(probeFailureReason(stderr, '/x/a.mp4', false)).toBe(
      'not a video file (ffprobe: Invalid data found when processing input)',
    );
    expect(probeFailureReason('/x/a.mp4: Permission denied\n', '/x/a.mp4')).toBe('permission denied');
  });
});

describe('playability', () => {
  it('plays H.264 mp4 and VP8/VP9 webm as they are and sends everything else to a proxy', async () => {
    const cases: [string, Parameters<typeof makeVideo>[1], boolean][] = [
      ['h264.mp4', { codec: 'h264' }, true],
      ['h264.mov', { codec: 'h264' }, true],
      ['vp8.webm', { codec: 'vp8' }, true],
      ['vp9.webm', { codec: 'vp9' }, true],
      ['h264.mkv', { codec: 'h264' }, false],
      ['vp9.mkv', { codec: 'vp9' }, false],
      ['mpeg4.avi', { codec: 'mpeg4' }, false],
      ['mjpeg.avi', { codec: 'mjpeg' }, false],
      ['hevc.mp4', { codec: 'hevc' }, false],
      ['h264-444.mp4', { codec: 'h264', pixelFormat: 'yuv444p' }, false],
    ];
    for (const [name, spec, expected] of cases) {
      const file = await makeVideo(path.join(tmp, name), { seconds: 0.4, ...spec });
      const verdict = playabilityOf(file, await probeOf(file));
      expect({ name, ...verdict }).toMatchObject({ name, playable: expected });
      if (!expected) expect(verdict.reason).toMatch(/does not play in the browser$/);
    }
  });
});

describe('sampled content hash', () => {
  it('hashes small files whole, size included', async () => {
    const file = path.join(tmp, 'small.bin');
    fs.writeFileSync(file, 'hello video');
    const expected = createHash('sha256').update('size:11\n').update('hello video').digest('hex');
    expect(await sampledContentHash(file)).toBe(`sampled-sha256:${expected}`);
  });

  it('reads only the first, middle and last MiB of large files', async () => {
    const file = path.join(tmp, 'large.bin');
    const size = 8 * SAMPLE_BYTES;
    const bytes = Buffer.alloc(size, 7);
    fs.writeFileSync(file, bytes);
    const base = await sampledContentHash(file);

    // A change inside a sample changes the hash…
    for (const offset of [10, Math.floor((size - SAMPLE_BYTES) / 2) + 5, size - 3]) {
      const changed = Buffer.from(bytes);
      changed[offset] = 8;
      fs.writeFileSync(file, changed);
      expect(await sampledContentHash(file)).not.toBe(base);
    }
    // …a change between samples does not (the documented price of not reading multi-GB files),
    // but any change of size does.
    const between = Buffer.from(bytes);
    between[2 * SAMPLE_BYTES] = 8;
    fs.writeFileSync(file, between);
    expect(await sampledContentHash(file)).toBe(base);
    fs.writeFileSync(file, Buffer.concat([bytes, Buffer.from([7])]));
    expect(await sampledContentHash(file)).not.toBe(base);
  });
});
