import type { RunClass } from '../../shared/run-dto.js';
import type { ReviewQuality } from '../../shared/review.js';
import type { ReviewRow } from './review-store.js';

const BINS = 10;

/**
 * How far a run's confidence can be trusted, from the newest decision per clip: an accept means
 * the prediction was right; a correction or a rejection that it was not.
 */
export function reviewQuality(runId: number, classes: readonly RunClass[], decisions: readonly ReviewRow[]): ReviewQuality {
  const reviewed = decisions.filter((d) => d.action !== 'skip');
  const perClass = classes.map((cls) => {
    const mine = reviewed.filter((d) => d.predicted_class_id === cls.id);
    const accepted = mine.filter((d) => d.action === 'accept').length;
    return {
      classId: cls.id,
      reviewed: mine.length,
      accepted,
      corrected: mine.filter((d) => d.action === 'correct').length,
      rejected: mine.filter((d) => d.action === 'reject').length,
      acceptanceRate: mine.length > 0 ? accepted / mine.length : null,
    };
  });

  const bins = Array.from({ length: BINS }, (_, i) => ({ lo: i / BINS, hi: (i + 1) / BINS, count: 0, accepted: 0, sum: 0 }));
  for (const d of reviewed) {
    // [0, 0.1) … [0.9, 1.0]: a confidence of exactly 1 belongs to the last bin.
    const bin = bins[Math.min(BINS - 1, Math.max(0, Math.floor(d.confidence * BINS)))];
    if (!bin) continue;
    bin.count++;
    bin.sum += d.confidence;
    if (d.action === 'accept') bin.accepted++;
  }
  const reliability = bins.map((b) => ({
    lo: b.lo,
    hi: b.hi,
    count: b.count,
    accepted: b.accepted,
    meanConfidence: b.count > 0 ? b.sum / b.count : null,
    acceptedShare: b.count > 0 ? b.accepted / b.count : null,
  }));
  const total = reviewed.length;
  const calibrationError =
    total === 0
      ? null
      : reliability.reduce(
          (sum, b) => sum + (b.count > 0 ? (b.count / total) * Math.abs((b.meanConfidence ?? 0) - (b.acceptedShare ?? 0)) : 0),
          0,
        );
  return { runId, reviewed: total, perClass, reliability, calibrationError };
}
