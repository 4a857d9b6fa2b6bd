import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFakeVideo, makeVideo } from '../../../../tests/fixtures/make-videos.js';
import { resolveMediaTools } from '../../media/media-tools.js';
import { ClipCache } from '../clips/clip-cache.js';
import type { ClipRef } from '../clips/clip-ref.js';
import type { ClipSpec } from '../clips/clip-spec.js';
import { FLOW_VIEW, TEMPORAL_GRADIENT_VIEW, type ClipView } from './clip-view.js';
import { flowView } from './flow-view.js';
import { temporalGradientView } from './temporal-gradient-view.js';
import { ViewCache } from './view-cache.js';

const tools = resolveMediaTools();
const spec: ClipSpec = { frames: 4, size: 32, fps: null };
let dir: string;
let video: string;
let fake: string;

function clipOf(videoPath: string, startFrame: number, endFrame: number): ClipRef {
  return { clipId: startFrame, videoPath, videoHash: path.basename(videoPath), startFrame, endFrame, startSec: startFrame / 25, endSec: endFrame / 25, fps: 25 };
}

function leftovers(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => name.includes('.partial-'));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-view-cache-'));
  video = await makeVideo(path.join(dir, 'moving.mp4'), { seconds: 1, width: 64, height: 48 });
  fake = makeFakeVideo(path.join(dir, 'not-a-video.mp4'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ViewCache', () => {
  it('computes a view once beside the rgb clip and reads it back later, also from a new cache', async () => {
    const cacheDir = fs.mkdtempSync(path.join(dir, 'cache-'));
    const clips = new ClipCache(cacheDir, spec, tools);
    const views = new ViewCache(clips);
    const clip = clipOf(video, 0, 25);
    const file = views.viewPath(clip, FLOW_VIEW);
    expect(file).toBe(clips.clipPath(clip).replace(/\.u8$/, '.flow-v1.u8'));
    expect(views.has(clip, FLOW_VIEW)).toBe(false);

    const [a, b] = await Promise.all([views.read(clip, FLOW_VIEW), views.read(clip, FLOW_VIEW)]);
    expect(views.stats.computed).toBe(1);
    const rgb = await clips.read(clip);
    expect(b).toBe(a);
    expect(Buffer.compare(a, flowView(rgb, spec))).toBe(0);
    expect(Buffer.compare(fs.readFileSync(file), a)).toBe(0);
    // testsrc2 moves: the view is not all "no motion".
    expect(a.some((byte, i) => i % 3 === 2 && byte > 0)).toBe(true);

    const tgrad = await views.read(clip, TEMPORAL_GRADIENT_VIEW);
    expect(Buffer.compare(tgrad, temporalGradientView(rgb, spec))).toBe(0);
    expect(views.stats.computed).toBe(2);

    const later = new ViewCache(new ClipCache(cacheDir, spec, tools));
    expect(later.has(clip, FLOW_VIEW)).toBe(true);
    const reread = await later.read(clip, FLOW_VIEW);
    expect(reread).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(reread)).toBe(false);
    expect(Buffer.compare(reread, a)).toBe(0);
    expect(later.stats.computed).toBe(0);
    expect(leftovers(cacheDir)).toEqual([]);
  });

  it('recomputes a damaged view file and sweeps temp files of dead writers', async () => {
    const cacheDir = fs.mkdtempSync(path.join(dir, 'cache-'));
    const clips = new ClipCache(cacheDir, spec, tools);
    const clip = clipOf(video, 5, 20);
    const good = await new ViewCache(clips).read(clip, TEMPORAL_GRADIENT_VIEW);
    const views = new ViewCache(clips);
    const file = views.viewPath(clip, TEMPORAL_GRADIENT_VIEW);
    fs.writeFileSync(file, good.subarray(0, 100));
    // Pid 2^22 + 1 is above Linux's pid_max limit: never a live process.
    const stale = `${file.slice(0, -3)}.partial-4194305-abcd1234.u8`;
    fs.writeFileSync(stale, 'half a view');
    expect(Buffer.compare(await views.read(clip, TEMPORAL_GRADIENT_VIEW), good)).toBe(0);
    expect(views.stats.computed).toBe(1);
    expect(fs.statSync(file).size).toBe(good.length);
    expect(leftovers(cacheDir)).toEqual([]);
  });

  it('ensure computes the missing views with progress and lists clips that cannot be decoded', async () => {
    const cacheDir = fs.mkdtempSync(path.join(dir, 'cache-'));
    const views = new ViewCache(new ClipCache(cacheDir, spec, tools));
    const good = [clipOf(video, 0, 10), clipOf(video, 10, 20)];
    await views.read(good[0]!, FLOW_VIEW);
    const progress: number[] = [];
    const result = await views.ensure([...good, clipOf(fake, 0, 10)], FLOW_VIEW, { onProgress: (done) => progress.push(done) });
    expect(result.failed.map((f) => f.clip.videoPath)).toEqual([fake]);
    expect(result.failed[0]!.reason).toContain(fake);
    expect(progress).toEqual([1, 2, 3]);
    expect(views.stats.computed).toBe(2);
    expect(good.every((clip) => views.has(clip, FLOW_VIEW))).toBe(true);
  });

  it('rejects a view id that is not a safe file-name part, and a view that changes the shape', async () => {
    const views = new ViewCache(new ClipCache(fs.mkdtempSync(path.join(dir, 'cache-')), spec, tools));
    const clip = clipOf(video, 0, 10);
    const bad: ClipView = { id: '../flow', compute: (bytes) => bytes };
    expect(() => views.viewPath(clip, bad)).toThrow('view id "../flow" must be lower-case letters, digits and dashes');
    const short: ClipView = { id: 'short', compute: (bytes) => bytes.subarray(1) };
    await expect(views.read(clip, short)).rejects.toThrow('view short made 12287 bytes from a clip of 12288');
  });
});
