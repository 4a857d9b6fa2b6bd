/**
 * The anomaly benchmark's injection (bench/anomaly): plans in seconds mean the same stretch of time at 10 and
 * 25 fps, the injected frames are what each kind says, and the truth intervals cover exactly those frames. On
 * real video: synthetic walkers encoded with ffmpeg and decoded back, and the 25 fps footage made with the
 * benchmark's own filter.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARKS } from '../../bench/anomaly/benchmarks.mjs';
import { decodeFrames, syntheticFootage } from '../../bench/anomaly/footage.mjs';
import { frameDifferenceScores } from '../../bench/anomaly/frame-difference.mjs';
import * as inject from '../../bench/anomaly/inject.mjs';
import { encodeVideo } from '../../bench/digits/encode.mjs';
import { resolveMediaTools } from '../../src-main/core/media/media-tools.js';

interface Interval { kind: string; at: number; length: number }
interface Injected { frames: Buffer[]; truth: Uint8Array; intervals: Interval[] }
type Size = { width: number; height: number };
// The helpers are plain JavaScript; these are the shapes they document.
const planFrames = inject.planFrames as unknown as (plan: object[], fps: number, motion?: Float32Array | null) => Interval[];
const injectAnomalies = inject.injectAnomalies as unknown as (plan: Interval[], source: Buffer[], size: Size) => Injected;
const encode = encodeVideo as unknown as (ffmpeg: string, file: string, frames: Iterable<Buffer>, size: Size & { fps: number }) => Promise<void>;
const frameDifference = frameDifferenceScores as unknown as (frames: Buffer[], size: Size) => Float32Array;

const size = { width: 96, height: 72 };
const frameOf = (frames: Buffer[], i: number): Buffer => {
  const frame = frames[i];
  if (!frame) throw new Error(`no frame ${i} of ${frames.length}`);
  return frame;
};
const ffmpeg = resolveMediaTools().ffmpeg;
let dir: string;
let frames10: Buffer[];
let frames25: Buffer[];

const benchmark = (name: string) => {
  const found = BENCHMARKS.find((b) => b.name === name);
  if (!found) throw new Error(`no benchmark ${name}`);
  return found;
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-anomaly-inject-'));
  const source = path.join(dir, 'walkers.mp4');
  // 12 s of walkers at 10 fps.
  await encode(ffmpeg, source, syntheticFootage({ ...size, frames: 120 }), { ...size, fps: 10 });
  frames10 = await decodeFrames(ffmpeg, source, size);
  frames25 = await decodeFrames(ffmpeg, source, { ...size, filter: benchmark('vtest-25fps').filter(size.width, size.height) });
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the 25 fps footage', () => {
  it('has 2.5 times the frames, interpolated: no frame repeats the one before it (a repeat looks like a frozen feed)', () => {
    expect(frames10).toHaveLength(120);
    // minterpolate stops at the last source frame's time, so the 1.5 interpolated frames after it are missing.
    expect(frames25.length).toBeGreaterThanOrEqual(295);
    expect(frames25.length).toBeLessThanOrEqual(300);
    const motion = frameDifference(frames25, size);
    expect(Math.min(...motion.slice(1))).toBeGreaterThan(0);
  });
});

describe('plans in seconds', () => {
  const plan = [
    { kind: 'reversed', at: 1, length: 2 },
    { kind: 'frozen', at: 4, length: 1.2 },
    { kind: 'faster', at: 6, length: 1, factor: 3 },
    { kind: 'object', at: 10, length: 0.8, style: 'cart' },
  ];

  it('are the same time at 10 and 25 fps', () => {
    for (const fps of [10, 25]) {
      const frames = fps === 10 ? frames10 : frames25;
      const injected = injectAnomalies(planFrames(plan, fps), frames, size);
      const seconds = injected.intervals.map((r) => [r.kind, r.length / fps]);
      // The reversed run is one frame shorter than its forward run: it ends on the frame the stretch began with.
      expect(seconds).toEqual([['reversed', 2 - 1 / fps], ['frozen', 1.2], ['faster', 1], ['object', 0.8]]);
      expect(injected.truth.reduce((a, b) => a + b, 0)).toBe(injected.intervals.reduce((a, r) => a + r.length, 0));
    }
  });

  it('put in each kind what it says, and truth marks exactly those frames', () => {
    const fps = 25;
    const inFrames = planFrames(plan, fps);
    const { frames, truth, intervals } = injectAnomalies(inFrames, frames25, size);
    expect(intervals).toHaveLength(4);
    const [reversed, frozen, faster, object] = intervals as [Interval, Interval, Interval, Interval];
    // Reversed: the source from 1 s, played on for 2 s, then backwards from the frame before the turn.
    expect(reversed.at).toBe(25 + 50);
    for (let i = 0; i < reversed.length; i++) expect(frames[reversed.at + i]).toBe(frames25[25 + 48 - i]);
    // Frozen: one source frame held 30 frames; playback resumes where it stalled.
    const frozenSource = inFrames[1]?.at ?? -1;
    expect(frozenSource).toBe(100);
    for (let i = 0; i < frozen.length; i++) expect(frames[frozen.at + i]).toBe(frames25[frozenSource]);
    expect(frames[frozen.at + frozen.length]).toBe(frames25[frozenSource]);
    // Faster: every third source frame for 25 frames.
    for (let i = 0; i < faster.length; i++) expect(frames[faster.at + i]).toBe(frames25[150 + 3 * i]);
    // The object: new frames that differ from the source they were painted on.
    for (let i = 0; i < object.length; i++) expect(frames[object.at + i]?.equals(frames25[250 + i] ?? Buffer.alloc(0))).toBe(false);
    expect(frames[object.at + object.length]).toBe(frames25[250 + object.length]);
    for (let t = 0; t < truth.length; t++) {
      const inside = intervals.some((r) => t >= r.at && t < r.at + r.length);
      expect(truth[t]).toBe(inside ? 1 : 0);
    }
  });

  it('start a stretch at the busiest moment of its range, by frame-to-frame change', () => {
    // A source that stands still for its first 4 s, then walks: the busiest 1 s in [0, 8) s lies in the walk.
    const still = [...Array.from({ length: 40 }, () => frameOf(frames10, 0)), ...frames10.slice(0, 80)];
    const motion = frameDifference(still, size);
    const [step] = planFrames([{ kind: 'frozen', at: { busiest: [0, 8] }, length: 1 }], 10, motion);
    if (!step) throw new Error('no step planned');
    expect(step.at).toBeGreaterThanOrEqual(40);
    expect(step.at).toBeLessThanOrEqual(70);
    const best = (at: number) => motion.slice(at, at + 10).reduce((a, b) => a + b, 0);
    for (let at = 0; at <= 70; at++) expect(best(step.at)).toBeGreaterThanOrEqual(best(at));
  });

  it('refuse a plan the held-out footage is too short for, naming the kinds', () => {
    expect(() => injectAnomalies(planFrames([{ kind: 'faster', at: 8, length: 2, factor: 5 }], 10), frames10, size)).toThrow(/too short for faster/);
    expect(() => planFrames([{ kind: 'frozen', at: { busiest: [0, 3] }, length: 1 }], 10)).toThrow(/needs the footage's motion/);
  });
});

describe('every benchmark layout', () => {
  it('fits its held-out footage at its frame rate, with every kind in each layout', () => {
    for (const bench of BENCHMARKS) {
      // vtest.avi is 79.5 s long; stand-in frames of that length at the benchmark's rate.
      const total = Math.round(79.5 * bench.fps);
      const source = Array.from({ length: total }, (_, i) => frameOf(frames10, i % frames10.length));
      const [from = 0, to = null] = bench.heldOut;
      const heldOut = source.slice(Math.round((from ?? 0) * bench.fps), to === null ? total : Math.round(to * bench.fps));
      const motion = new Float32Array(heldOut.length).fill(1);
      for (const layout of bench.layouts) {
        const kinds = new Set<string>();
        for (const plan of layout.videos) {
          const { intervals } = injectAnomalies(planFrames(plan, bench.fps, motion), heldOut, size);
          for (const r of intervals) kinds.add(r.kind);
        }
        expect([...kinds].sort(), `${bench.name} ${layout.slug}`).toEqual(['faster', 'frozen', 'object', 'reversed']);
      }
    }
  });
});
