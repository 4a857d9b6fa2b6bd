/**
 * The quality panel's pure logic: per-class acceptance rows, the reliability diagram's bars and
 * the sentence on whether a run's confidence can be trusted.
 */
import { describe, expect, it } from 'vitest';
import type { ReviewQuality } from '../../src-main/shared/review.js';
import {
  acceptanceRows,
  calibrationVerdict,
  formatPercent,
  reliabilityBars,
} from '../../src-renderer/features/quality/quality-view.js';
import { plotBox, xOfConfidence, yOfShare } from '../../src-renderer/features/quality/reliability-draw.js';

function bins(filled: Record<number, { count: number; accepted: number; mean: number }>): ReviewQuality['reliability'] {
  return Array.from({ length: 10 }, (_, k) => {
    const bin = filled[k];
    return {
      lo: k / 10,
      hi: (k + 1) / 10,
      count: bin?.count ?? 0,
      accepted: bin?.accepted ?? 0,
      meanConfidence: bin ? bin.mean : null,
      acceptedShare: bin ? bin.accepted / bin.count : null,
    };
  });
}

const quality: ReviewQuality = {
  runId: 3,
  reviewed: 10,
  perClass: [
    { classId: 1, reviewed: 6, accepted: 4, corrected: 1, rejected: 1, acceptanceRate: 4 / 6 },
    { classId: 2, reviewed: 4, accepted: 4, corrected: 0, rejected: 0, acceptanceRate: 1 },
    { classId: 9, reviewed: 0, accepted: 0, corrected: 0, rejected: 0, acceptanceRate: null },
  ],
  // Over-confident: 90 % sure, accepted half the time.
  reliability: bins({ 9: { count: 8, accepted: 4, mean: 0.95 }, 5: { count: 2, accepted: 2, mean: 0.55 } }),
  calibrationError: (8 / 10) * 0.45 + (2 / 10) * 0.45,
};

describe('acceptance rows', () => {
  it('names and colours classes, shows the rate as a whole percentage, and a dash before any review', () => {
    const looks = new Map([
      [1, { name: 'walk', color: '#ff0000' }],
      [2, { name: 'run', color: '#00ff00' }],
    ]);
    const rows = acceptanceRows(quality, (id) => looks.get(id));
    expect(rows.map((r) => [r.name, r.reviewed, r.accepted, r.corrected, r.rejected, r.rate])).toEqual([
      ['walk', 6, 4, 1, 1, '67 %'],
      ['run', 4, 4, 0, 0, '100 %'],
      ['class 9', 0, 0, 0, 0, '—'],
    ]);
    expect(rows[2]?.color).toBe('#888888');
  });

  it('formats shares', () => {
    expect(formatPercent(0.874)).toBe('87 %');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Number.NaN)).toBe('—');
  });
});

describe('reliability bars', () => {
  it('one bar per bin: empty bins have no share, filled ones their gap to the diagonal', () => {
    const bars = reliabilityBars(quality);
    expect(bars).toHaveLength(10);
    expect(bars[0]).toEqual({ lo: 0, hi: 0.1, count: 0, share: null, expected: 0.05, gap: null });
    expect(bars[9]?.share).toBe(0.5);
    expect(bars[9]?.expected).toBe(0.95);
    expect(bars[9]?.gap).toBeCloseTo(0.45);
    expect(bars[5]?.gap).toBeCloseTo(-0.45);
  });

  it('says whether the confidence can be trusted, and which way it is off', () => {
    expect(calibrationVerdict(quality)).toMatch(/^Clearly over-confident/);
    const calibrated: ReviewQuality = {
      ...quality,
      reliability: bins({ 9: { count: 10, accepted: 9, mean: 0.92 } }),
      calibrationError: 0.02,
    };
    expect(calibrationVerdict(calibrated)).toMatch(/can be trusted \(only 10 reviewed so far: an early reading\)\.$/);
    expect(calibrationVerdict({ ...calibrated, reviewed: 40 })).toMatch(/can be trusted\.$/);
    const under: ReviewQuality = { ...quality, reliability: bins({ 5: { count: 10, accepted: 9, mean: 0.55 } }), calibrationError: 0.35 };
    expect(calibrationVerdict(under)).toMatch(/under-confident/);
    expect(calibrationVerdict({ ...quality, reviewed: 0, calibrationError: null })).toBe('');
  });

  it('maps confidence and share onto the plot: 0 at the bottom left, 1 at the top right', () => {
    const box = plotBox(300, 200);
    expect(xOfConfidence(box, 0)).toBe(box.left);
    expect(xOfConfidence(box, 1)).toBe(box.left + box.width);
    expect(yOfShare(box, 0)).toBe(box.top + box.height);
    expect(yOfShare(box, 1)).toBe(box.top);
    expect(plotBox(10, 10).width).toBeGreaterThan(0);
  });
});
