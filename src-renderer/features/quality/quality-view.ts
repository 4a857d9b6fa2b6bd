/**
 * What the quality panel shows, as pure functions of a run's review quality: the per-class
 * acceptance rows and the bars of the reliability diagram.
 */
import type { ReviewQuality } from '../../../src-main/shared/review.js';

export interface AcceptanceRow {
  classId: number;
  name: string;
  color: string;
  reviewed: number;
  accepted: number;
  corrected: number;
  rejected: number;
  /** "87 %" or "—" before any review of the class. */
  rate: string;
}

export interface ClassLook {
  name: string;
  color: string;
}

export function formatPercent(share: number | null | undefined): string {
  return share === null || share === undefined || !Number.isFinite(share) ? '—' : `${Math.round(share * 100)} %`;
}

/** Classes in the run's order, each with what people decided about its predictions. */
export function acceptanceRows(quality: ReviewQuality, lookOf: (classId: number) => ClassLook | undefined): AcceptanceRow[] {
  return quality.perClass.map((c) => {
    const look = lookOf(c.classId);
    return {
      classId: c.classId,
      name: look?.name ?? `class ${c.classId}`,
      color: look?.color ?? '#888888',
      reviewed: c.reviewed,
      accepted: c.accepted,
      corrected: c.corrected,
      rejected: c.rejected,
      rate: formatPercent(c.acceptanceRate),
    };
  });
}

/** One bin of the reliability diagram, ready to draw. */
export interface ReliabilityBar {
  lo: number;
  hi: number;
  count: number;
  /** Share accepted as predicted; null for an empty bin (nothing to draw). */
  share: number | null;
  /** Where a perfectly calibrated model would be: the bin's mean confidence (its middle when empty). */
  expected: number;
  /** How far the bar is from the diagonal; positive when the model is over-confident. */
  gap: number | null;
}

export function reliabilityBars(quality: ReviewQuality): ReliabilityBar[] {
  return quality.reliability.map((bin) => {
    const expected = bin.meanConfidence ?? (bin.lo + bin.hi) / 2;
    const share = bin.count > 0 ? (bin.acceptedShare ?? bin.accepted / bin.count) : null;
    return { lo: bin.lo, hi: bin.hi, count: bin.count, share, expected, gap: share === null ? null : expected - share };
  });
}

/** Below this many reviews the calibration error says little: the verdict says so. */
const FEW_REVIEWS = 20;

/** One sentence on whether the confidence can be trusted, from the expected calibration error. */
export function calibrationVerdict(quality: ReviewQuality): string {
  const ece = quality.calibrationError;
  if (ece === null || quality.reviewed === 0) return '';
  const overconfident = reliabilityBars(quality).reduce((sum, bar) => sum + (bar.gap ?? 0) * bar.count, 0) > 0;
  const caveat = quality.reviewed < FEW_REVIEWS ? ` (only ${quality.reviewed} reviewed so far: an early reading)` : '';
  if (ece <= 0.05) return `Its confidence matches how often you accept its predictions: a high confidence can be trusted${caveat}.`;
  const direction = overconfident
    ? 'over-confident: you accept fewer of its predictions than its confidence says'
    : 'under-confident: you accept more of its predictions than its confidence says';
  if (ece <= 0.15) return `Somewhat ${direction}${caveat}.`;
  return `Clearly ${direction}${caveat}; do not bulk-accept on confidence alone.`;
}
