import { describe, expect, it } from 'vitest';
import {
  durationOf,
  frameAtTime,
  nearestBoundary,
  parseFrameRate,
  playerTimeFromVideo,
  timeOfFrame,
  timingFromProbe,
  videoTimeFromPlayer,
  type ProbedFrames,
  type VideoTiming,
} from './frame-time.js';

const at25: VideoTiming = { fps: 25, frameCount: 50, startTime: 0 };
const ntsc = parseFrameRate('30000/1001')!;
const at2997: VideoTiming = { fps: ntsc, frameCount: 300, startTime: 0 };

describe('frame/time conversion', () => {
  it('parses rational frame rates and refuses nonsense', () => {
    expect(parseFrameRate('25/1')).toBe(25);
    expect(parseFrameRate('30000/1001')).toBeCloseTo(29.97002997, 8);
    expect(parseFrameRate('0/0')).toBeNull();
    expect(parseFrameRate('abc')).toBeNull();
    expect(parseFrameRate(null)).toBeNull();
  });

  it('maps frames to times and back exactly at 25 fps', () => {
    expect(timeOfFrame(at25, 0)).toBe(0);
    expect(timeOfFrame(at25, 25)).toBe(1);
    expect(frameAtTime(at25, 1)).toBe(25);
    expect(frameAtTime(at25, 0.999)).toBe(24);
    expect(durationOf(at25)).toBe(2);
    for (let f = 0; f < at25.frameCount; f++) expect(frameAtTime(at25, timeOfFrame(at25, f))).toBe(f);
  });

  it('round-trips every frame at 29.97 fps despite float noise', () => {
    for (let f = 0; f < at2997.frameCount; f++) {
      expect(frameAtTime(at2997, timeOfFrame(at2997, f))).toBe(f);
      // The middle of the frame's display interval also belongs to it.
      expect(frameAtTime(at2997, timeOfFrame(at2997, f) + 0.5 / ntsc)).toBe(f);
    }
    expect(timeOfFrame(at2997, 30)).toBeCloseTo(1.001, 9);
  });

  it('clamps times outside the video to its first and last frames', () => {
    expect(frameAtTime(at25, -3)).toBe(0);
    expect(frameAtTime(at25, 99)).toBe(49);
  });

  it('uses the probed timestamps of a variable-frame-rate video', () => {
    const vfr: VideoTiming = { fps: 20, frameCount: 5, startTime: 0, frameTimes: [0, 0.04, 0.2, 0.21, 0.5] };
    expect(frameAtTime(vfr, 0.1)).toBe(1);
    expect(frameAtTime(vfr, 0.2)).toBe(2);
    expect(frameAtTime(vfr, 0.205)).toBe(2);
    expect(frameAtTime(vfr, 0.3)).toBe(3);
    expect(timeOfFrame(vfr, 4)).toBe(0.5);
    // The last frame lasts as long as the one before it.
    expect(durationOf(vfr)).toBeCloseTo(0.79, 9);
    expect(nearestBoundary(vfr, 0.19)).toBe(2);
  });

  it('converts between player time and video time when the stream does not start at 0', () => {
    const shifted: VideoTiming = { fps: 25, frameCount: 50, startTime: 10 };
    expect(videoTimeFromPlayer(shifted, 10.04)).toBeCloseTo(0.04, 9);
    expect(frameAtTime(shifted, videoTimeFromPlayer(shifted, 10.04))).toBe(1);
    expect(playerTimeFromVideo(shifted, 1)).toBe(11);
  });

  it('snaps interval edges to the nearest frame boundary', () => {
    expect(nearestBoundary(at25, 0.99)).toBe(25);
    expect(nearestBoundary(at25, 1.01)).toBe(25);
    expect(nearestBoundary(at25, 1.03)).toBe(26);
    expect(nearestBoundary(at25, 2)).toBe(50);
  });
});

describe('the timing clips are cut with, from what the probe stored', () => {
  const probed: ProbedFrames = { fps: 25, avgFrameRate: '30/1', realFrameRate: '50/1', frameCount: 100, startTime: 1.5 };

  it('takes the probed frame rate first, then the average rate, then the base rate', () => {
    expect(timingFromProbe(probed)).toEqual({ fps: 25, frameCount: 100, startTime: 1.5 });
    expect(timingFromProbe({ ...probed, fps: null })?.fps).toBe(30);
    expect(timingFromProbe({ ...probed, fps: null, avgFrameRate: '0/0' })?.fps).toBe(50);
    expect(timingFromProbe({ ...probed, fps: null, avgFrameRate: null })?.fps).toBe(50);
  });

  it('starts at 0 when the probe knew no start time', () => {
    expect(timingFromProbe({ ...probed, startTime: null })?.startTime).toBe(0);
  });

  it('refuses a video with no usable frame rate or no frames', () => {
    expect(timingFromProbe({ ...probed, fps: null, avgFrameRate: null, realFrameRate: 'abc' })).toBeNull();
    expect(timingFromProbe({ ...probed, fps: 0 })).toBeNull();
    expect(timingFromProbe({ ...probed, frameCount: null })).toBeNull();
    expect(timingFromProbe({ ...probed, frameCount: 0 })).toBeNull();
  });
});
