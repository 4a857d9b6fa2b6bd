import { describe, expect, it } from 'vitest';
import { ANOMALY_SETTINGS_DEFAULTS, anomalyScoreOptionsSchema, readStoredAnomalySettings } from './anomaly.js';
import { eventFramesOf, findEvents } from './anomaly-events.js';
import { frameStepFor, sigmaFramesFor, wholeFramesOf } from './anomaly-time.js';

describe('anomaly time constants in seconds', () => {
  it('keeps every k-th frame so the model sees ~10 frames a second, every frame at 10 fps or with sampling off', () => {
    expect(frameStepFor(10, 10)).toBe(1);
    expect(frameStepFor(25, 10)).toBe(3);
    expect(frameStepFor(29.97, 10)).toBe(3);
    expect(frameStepFor(30, 10)).toBe(3);
    expect(frameStepFor(60, 10)).toBe(6);
    expect(frameStepFor(5, 10)).toBe(1);
    expect(frameStepFor(30, 0)).toBe(1);
    expect(frameStepFor(null, 10)).toBe(1);
    expect(() => frameStepFor(30, -1)).toThrow(/sample rate must be a number ≥ 0 fps, got -1/);
  });

  it('turns the default σ of 0.8 s into 8, 20 and 24 frames at 10, 25 and 30 fps; σ in frames wins', () => {
    expect(sigmaFramesFor({ sigmaSeconds: 0.8 }, 10)).toBeCloseTo(8, 9);
    expect(sigmaFramesFor({ sigmaSeconds: 0.8 }, 25)).toBeCloseTo(20, 9);
    expect(sigmaFramesFor({ sigmaSeconds: 0.8 }, 30)).toBeCloseTo(24, 9);
    expect(sigmaFramesFor({ sigmaSeconds: 0.8, sigma: 5 }, 30)).toBe(5);
    expect(sigmaFramesFor({ sigmaSeconds: 0 }, 30)).toBe(0);
    // No rate known: the detector's own 10 fps.
    expect(sigmaFramesFor({ sigmaSeconds: 0.8 }, null)).toBeCloseTo(8, 9);
  });

  it('rounds durations to whole frames and rejects nonsense', () => {
    expect(wholeFramesOf(0.6, 10)).toBe(6);
    expect(wholeFramesOf(0.6, 25 / 3)).toBe(5);
    expect(wholeFramesOf(0.01, 10)).toBe(1);
    expect(wholeFramesOf(0, 10, 0)).toBe(0);
    expect(() => wholeFramesOf(-1, 10)).toThrow(/seconds ≥ 0, got -1/);
    expect(() => wholeFramesOf(1, 0)).toThrow(/frame rate must be a positive number, got 0/);
  });

  it('merges events across a gap and drops short ones by seconds, converted at the video’s rate', () => {
    expect(eventFramesOf({ mergeGapSeconds: 0.5, minLengthSeconds: 0.2 }, 30)).toEqual({ mergeGap: 15, minLength: 6 });
    expect(eventFramesOf({ mergeGapSeconds: 0.5, minLengthSeconds: 0.2 }, 10)).toEqual({ mergeGap: 5, minLength: 2 });
    // 30 fps: a 10-frame run, 12 frames below, a 3-frame run, 40 below, a 3-frame blip.
    const scores = [...Array(10).fill(1), ...Array(12).fill(0), ...Array(3).fill(1), ...Array(40).fill(0), ...Array(3).fill(1)];
    const frames = eventFramesOf({ mergeGapSeconds: 0.5, minLengthSeconds: 0.2 }, 30);
    const events = findEvents(scores, { threshold: 0.5, ...frames });
    expect(events.map((e) => [e.startFrame, e.endFrame])).toEqual([[0, 24]]);
    expect(findEvents(scores, { threshold: 0.5, mergeGap: 0 }).map((e) => e.startFrame)).toEqual([0, 22, 65]);
    expect(() => findEvents(scores, { threshold: 0.5, minLength: 1.5 })).toThrow(/minimum length must be an integer ≥ 0, got 1.5/);
  });
});

describe('settings and options stored before seconds', () => {
  it('reads a run stored with a frame stride and no sampling as every frame with that stride', () => {
    const legacy = { ...ANOMALY_SETTINGS_DEFAULTS, windowStride: 2 } as Record<string, unknown>;
    delete legacy.sampleFps;
    delete legacy.windowStrideSeconds;
    delete legacy.followObjects;
    expect(readStoredAnomalySettings(legacy)).toMatchObject({ sampleFps: 0, windowStride: 2, windowStrideSeconds: 0.2, followObjects: false });
    expect(readStoredAnomalySettings(ANOMALY_SETTINGS_DEFAULTS)).toEqual(ANOMALY_SETTINGS_DEFAULTS);
    expect(ANOMALY_SETTINGS_DEFAULTS).toMatchObject({ sampleFps: 10, windowStrideSeconds: 0.2, windowStride: null });
  });

  it('reads score options stored in frames as the overrides they were, beside the default seconds', () => {
    expect(anomalyScoreOptionsSchema.parse({ stride: 6, sigma: 20 })).toEqual({ stride: 6, sigma: 20, strideSeconds: 0.6, sigmaSeconds: 0.8 });
    expect(anomalyScoreOptionsSchema.parse({})).toEqual({ strideSeconds: 0.6, sigmaSeconds: 0.8 });
  });
});
