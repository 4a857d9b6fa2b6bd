/** The Anomaly view's pure parts: the curve's column reduction, keys, events vs marks, the settings form. */
import { describe, expect, it } from 'vitest';
import { ANOMALY_SETTINGS_DEFAULTS, anomalySettingsSchema, type AnomalyMarkDto } from '../../src-main/shared/anomaly.js';
import type { AnomalyEvent } from '../../src-main/shared/anomaly-events.js';
import { anomalyCommandForKey } from '../../src-renderer/features/anomaly/anomaly-keys.js';
import { ALL_ANOMALY_FIELDS, buildAnomalySettings, emptyAnomalyChoices } from '../../src-renderer/features/anomaly/anomaly-settings-form.js';
import { columnFrames, curveColumns, frameAtX, xOfFrame } from '../../src-renderer/features/anomaly/curve-columns.js';
import { eventAt, markKindOf, neighbourEvent } from '../../src-renderer/features/anomaly/event-marks.js';
import { shareAt, spanOf, thresholdAt } from '../../src-renderer/state/anomaly-scores.js';
import type { KeyPress } from '../../src-renderer/features/label/label-keys.js';

function press(key: string, mods: Partial<KeyPress> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

describe('curveColumns', () => {
  it('keeps each column’s lowest and highest value, so a one-frame spike in 100,000 frames still shows', () => {
    const values = new Float32Array(100_000).fill(0.1);
    values[54_321] = 0.9;
    values[54_322] = -0.2;
    const { min, max } = curveColumns(values, 800);
    expect(min.length).toBe(800);
    const column = Math.floor((54_321 * 800) / 100_000);
    expect(max[column]).toBeCloseTo(0.9);
    expect(min[column]).toBeCloseTo(-0.2);
    expect(max[column - 1]).toBeCloseTo(0.1);
    expect(Math.max(...max)).toBeCloseTo(0.9);
  });

  it('covers every frame exactly once when there are more frames than columns', () => {
    let covered = 0;
    let next = 0;
    for (let c = 0; c < 7; c++) {
      const { first, end } = columnFrames(c, 7, 100);
      expect(first).toBe(next);
      covered += end - first;
      next = end;
    }
    expect(covered).toBe(100);
  });

  it('repeats frames over columns when the curve is shorter than the canvas is wide', () => {
    const { min, max } = curveColumns([1, 2, 3], 6);
    expect([...max]).toEqual([1, 1, 2, 2, 3, 3]);
    expect([...min]).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('maps frames to x and back', () => {
    expect(xOfFrame(0, 1000, 100)).toBe(5);
    expect(frameAtX(5, 1000, 100)).toBe(0);
    expect(frameAtX(999.9, 1000, 100)).toBe(99);
    expect(frameAtX(-4, 1000, 100)).toBe(0);
    expect(frameAtX(2000, 1000, 100)).toBe(99);
    for (const frame of [0, 17, 63, 99]) expect(frameAtX(xOfFrame(frame, 640, 100), 640, 100)).toBe(frame);
  });
});

describe('anomalyCommandForKey', () => {
  it('maps the view’s keys', () => {
    expect(anomalyCommandForKey(press(' '))).toEqual({ kind: 'play-pause' });
    expect(anomalyCommandForKey(press(','))).toEqual({ kind: 'step', delta: -1 });
    expect(anomalyCommandForKey(press('.'))).toEqual({ kind: 'step', delta: 1 });
    expect(anomalyCommandForKey(press('ArrowRight'))).toEqual({ kind: 'event', delta: 1 });
    expect(anomalyCommandForKey(press('ArrowLeft'))).toEqual({ kind: 'event', delta: -1 });
    expect(anomalyCommandForKey(press('I', { shiftKey: true }))).toEqual({ kind: 'mark-in' });
    expect(anomalyCommandForKey(press('o'))).toEqual({ kind: 'mark-out' });
    expect(anomalyCommandForKey(press('a'))).toEqual({ kind: 'mark', as: 'anomaly' });
    expect(anomalyCommandForKey(press('n'))).toEqual({ kind: 'mark', as: 'normal' });
    expect(anomalyCommandForKey(press('Escape'))).toEqual({ kind: 'clear-selection' });
  });

  it('undoes with Ctrl/Cmd+Z and redoes with Shift or Y; other modified keys and Alt do nothing', () => {
    expect(anomalyCommandForKey(press('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(anomalyCommandForKey(press('z', { metaKey: true }))).toEqual({ kind: 'undo' });
    expect(anomalyCommandForKey(press('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
    expect(anomalyCommandForKey(press('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
    expect(anomalyCommandForKey(press('a', { ctrlKey: true }))).toBeNull();
    expect(anomalyCommandForKey(press('a', { altKey: true }))).toBeNull();
    expect(anomalyCommandForKey(press('q'))).toBeNull();
  });
});

describe('events and marks', () => {
  const events: AnomalyEvent[] = [
    { startFrame: 10, endFrame: 19, peakFrame: 15, peakScore: 1 },
    { startFrame: 40, endFrame: 44, peakFrame: 42, peakScore: 2 },
  ];
  const mark = (startFrame: number, endFrame: number, kind: 'anomaly' | 'normal'): AnomalyMarkDto => ({
    id: startFrame,
    videoId: 1,
    startFrame,
    endFrame,
    kind,
    source: 'human',
    createdAt: '',
  });

  it('finds the event at a frame, including its last frame', () => {
    expect(eventAt(events, 19)).toBe(events[0]);
    expect(eventAt(events, 20)).toBeNull();
  });

  it('walks from peak to peak', () => {
    expect(neighbourEvent(events, 0, 1)).toBe(events[0]);
    expect(neighbourEvent(events, 15, 1)).toBe(events[1]);
    expect(neighbourEvent(events, 42, 1)).toBeNull();
    expect(neighbourEvent(events, 42, -1)).toBe(events[0]);
    expect(neighbourEvent(events, 15, -1)).toBeNull();
  });

  it('names the kind of the mark that covers an event most (marks end exclusively)', () => {
    const first = events[0] as AnomalyEvent;
    expect(markKindOf(first, [])).toBeNull();
    expect(markKindOf(first, [mark(20, 30, 'anomaly')])).toBeNull();
    expect(markKindOf(first, [mark(0, 12, 'normal'), mark(12, 20, 'anomaly')])).toBe('anomaly');
  });

  it('spans two picked frames in either order and places the threshold within the curve', () => {
    expect(spanOf(30, 10)).toEqual({ start: 10, end: 31 });
    expect(thresholdAt({ min: 1, max: 3 }, 0.25)).toBe(1.5);
    expect(thresholdAt({ min: 1, max: 3 }, 7)).toBe(3);
    // The best-F1 threshold of a run set on one video's curve: its share of that curve's range.
    expect(shareAt({ min: 1, max: 3 }, 1.5)).toBe(0.25);
    expect(thresholdAt({ min: 1, max: 3 }, shareAt({ min: 1, max: 3 }, 2.2))).toBeCloseTo(2.2, 12);
    expect(shareAt({ min: 1, max: 3 }, 5)).toBe(1);
    expect(shareAt({ min: 2, max: 2 }, 5)).toBe(0.5);
  });
});

describe('the anomaly settings form', () => {
  const accepts = (key: string, value: number) => anomalySettingsSchema.safeParse({ ...ANOMALY_SETTINGS_DEFAULTS, size: 64, depth: 1, [key]: value }).success;

  it('has the same bounds as the shared schema for every numeric setting', () => {
    for (const field of ALL_ANOMALY_FIELDS) {
      // size must stay a multiple of 2^depth: check its bounds with depth 1 and even values.
      const tiny = field.integer ? (field.key === 'size' ? 2 : 1) : 1e-9;
      expect(accepts(field.key, field.max), `${field.key} max`).toBe(true);
      expect(accepts(field.key, field.max + tiny), `${field.key} above max`).toBe(false);
      if (field.above) {
        expect(accepts(field.key, field.min), `${field.key} at min`).toBe(false);
      } else {
        expect(accepts(field.key, field.min), `${field.key} min`).toBe(true);
        expect(accepts(field.key, field.min - tiny), `${field.key} below min`).toBe(false);
      }
    }
    const numeric = Object.entries(ANOMALY_SETTINGS_DEFAULTS).filter(([key, value]) => typeof value === 'number' && key !== 'channels');
    expect(ALL_ANOMALY_FIELDS.map((f) => f.key).sort()).toEqual(numeric.map(([key]) => key).sort());
  });

  it('builds settings from what was typed over the defaults, and explains what is wrong', () => {
    const choices = emptyAnomalyChoices();
    choices.numbers = { epochs: '2', size: '16', depth: '2', width: '4', longSide: ' 80 ' };
    const built = buildAnomalySettings(ANOMALY_SETTINGS_DEFAULTS, choices);
    expect(built.ok && built.settings).toEqual({ ...ANOMALY_SETTINGS_DEFAULTS, epochs: 2, size: 16, depth: 2, width: 4, longSide: 80 });
    expect(built.ok && anomalySettingsSchema.safeParse(built.settings).success).toBe(true);

    choices.numbers = { size: '20', depth: '3' };
    const odd = buildAnomalySettings(ANOMALY_SETTINGS_DEFAULTS, choices);
    expect(odd.ok).toBe(false);
    expect(!odd.ok && odd.errors.size).toContain('multiple of 8');

    choices.numbers = { epochs: '1.5', learningRate: '0' };
    const bad = buildAnomalySettings(ANOMALY_SETTINGS_DEFAULTS, choices);
    expect(!bad.ok && bad.errors).toEqual({ epochs: 'Epochs: a whole number is needed.', learningRate: 'Learning rate: above 0.' });
  });
});
