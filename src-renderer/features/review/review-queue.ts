/**
 * How the Review view shows the queue: where the person is, what a class key means, the
 * probability bars and how a decision reads. The queue window itself is the store's
 * (state/review-window.ts).
 */
import type { ReviewAction, ReviewItem } from '../../../src-main/shared/review.js';

/** "3 of 120 · 97 pending" */
export function positionText(position: number | null, total: number, pending: number): string {
  const where = position === null || total === 0 ? `0 of ${total}` : `${position + 1} of ${total}`;
  return `${where} · ${pending} pending`;
}

/** Which action a class key means: the predicted class itself is an accept, any other a correction. */
export function actionForClass(item: ReviewItem, classId: number): Extract<ReviewAction, 'accept' | 'correct'> {
  return classId === item.predictedClassId ? 'accept' : 'correct';
}

/** Probability bars in descending order, the predicted class first. */
export function sortedProbs(item: ReviewItem): { classId: number; p: number }[] {
  return item.probs.slice().sort((a, b) => b.p - a.p || a.classId - b.classId);
}

export function formatProbability(p: number | null): string {
  return p === null || !Number.isFinite(p) ? '—' : `${(p * 100).toFixed(1)} %`;
}

export function formatNumber(value: number | null, digits = 3): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

export interface ClassLook {
  name: string;
  color: string;
}

/** How a decision reads: "Accepted as walk", "Corrected to run", "Rejected: not jump". */
export function decisionText(decision: ReviewItem['decision'], nameOf: (classId: number) => string): string {
  if (!decision) return 'Pending';
  const name = nameOf(decision.classId);
  switch (decision.action) {
    case 'accept':
      return `Accepted as ${name}`;
    case 'correct':
      return `Corrected to ${name}`;
    case 'reject':
      return `Rejected: not ${name}`;
  }
}
