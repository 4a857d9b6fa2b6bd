/** The Review view's filter form: text fields to the shared filter, with a reason when they do not fit. */
import type { ReviewFilter } from '../../../src-main/shared/review.js';

export type ParsedConfidence = { ok: true; value: number } | { ok: false; message: string };

/** A confidence typed as 0.9, .9, 90 % or 90 (read as a percentage above 1). */
export function parseConfidence(text: string, what: string): ParsedConfidence {
  const trimmed = text.trim().replace(/\s*%$/, '');
  if (trimmed === '') return { ok: false, message: `${what}: enter a number between 0 and 1.` };
  const number = Number(trimmed);
  if (!Number.isFinite(number)) return { ok: false, message: `${what}: “${text.trim()}” is not a number.` };
  const value = number > 1 || text.includes('%') ? number / 100 : number;
  if (value < 0 || value > 1) return { ok: false, message: `${what}: between 0 and 1 (or 0 % and 100 %).` };
  return { ok: true, value };
}

export interface FilterFields {
  classId: number | null;
  videoId: number | null;
  minConfidence: string;
  maxConfidence: string;
  includeReviewed: boolean;
  /** The clips of a confusion-matrix cell the queue is narrowed to (null: all); kept while the fields change. */
  clipIds: number[] | null;
}

export function fieldsOf(filter: ReviewFilter): FilterFields {
  return {
    classId: filter.classIds?.[0] ?? null,
    videoId: filter.videoId ?? null,
    minConfidence: String(filter.minConfidence),
    maxConfidence: String(filter.maxConfidence),
    includeReviewed: filter.includeReviewed,
    clipIds: filter.clipIds ?? null,
  };
}

export type BuiltFilter = { ok: true; filter: ReviewFilter } | { ok: false; message: string };

export function buildFilter(fields: FilterFields): BuiltFilter {
  const min = parseConfidence(fields.minConfidence, 'Lowest confidence');
  if (!min.ok) return min;
  const max = parseConfidence(fields.maxConfidence, 'Highest confidence');
  if (!max.ok) return max;
  if (min.value > max.value) return { ok: false, message: 'The lowest confidence is above the highest.' };
  return {
    ok: true,
    filter: {
      ...(fields.classId === null ? {} : { classIds: [fields.classId] }),
      ...(fields.videoId === null ? {} : { videoId: fields.videoId }),
      ...(fields.clipIds === null ? {} : { clipIds: fields.clipIds }),
      minConfidence: min.value,
      maxConfidence: max.value,
      includeReviewed: fields.includeReviewed,
    },
  };
}

export function sameFilter(a: ReviewFilter, b: ReviewFilter): boolean {
  return (
    (a.classIds ?? []).join(',') === (b.classIds ?? []).join(',') &&
    (a.clipIds ?? []).join(',') === (b.clipIds ?? []).join(',') &&
    a.videoId === b.videoId &&
    a.minConfidence === b.minConfidence &&
    a.maxConfidence === b.maxConfidence &&
    a.includeReviewed === b.includeReviewed
  );
}
