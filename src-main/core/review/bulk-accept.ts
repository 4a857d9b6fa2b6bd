import type { RunDto } from '../../shared/run-dto.js';
import {
  reviewFilterSchema,
  type BulkAcceptPreview,
  type BulkAcceptReport,
  type ReviewFilter,
} from '../../shared/review.js';
import { nowIso } from '../clock.js';
import type { ReviewApplyDeps } from './review-apply.js';
import { giveReviewLabel } from './review-apply.js';
import { orderedQueue, type QueueEntry } from './review-queue.js';

export interface BulkRequest {
  minConfidence: number;
  filter?: ReviewFilter;
}

/** Every pending clip of the (filtered) queue predicted at least this confidently, surest first. */
function bulkEntries(deps: ReviewApplyDeps, run: RunDto, request: BulkRequest): QueueEntry[] {
  const filter = request.filter ?? reviewFilterSchema.parse({});
  const { entries } = orderedQueue(deps.store, run.id, 'confident', filter, 0);
  // A class deleted since the run predicted it can no longer be given.
  const existing = new Set(run.classes.filter((c) => deps.store.className(c.id) !== null).map((c) => c.id));
  return entries.filter((e) => e.decision === null && e.row.confidence >= request.minConfidence && existing.has(e.row.class_id));
}

function summary(run: RunDto, request: BulkRequest, entries: readonly QueueEntry[]): BulkAcceptPreview {
  const counts = new Map<number, number>();
  for (const e of entries) counts.set(e.row.class_id, (counts.get(e.row.class_id) ?? 0) + 1);
  return {
    runId: run.id,
    minConfidence: request.minConfidence,
    total: entries.length,
    // In the run's class order; only classes that would get labels.
    perClass: run.classes.filter((c) => counts.has(c.id)).map((c) => ({ classId: c.id, count: counts.get(c.id) ?? 0 })),
  };
}

export function previewBulkAccept(deps: ReviewApplyDeps, run: RunDto, request: BulkRequest): BulkAcceptPreview {
  return summary(run, request, bulkEntries(deps, run, request));
}

/** Accepts what the preview counted, as one journal entry; returns the videos whose labels changed. */
export function bulkAccept(
  deps: ReviewApplyDeps,
  run: RunDto,
  request: BulkRequest,
): { report: BulkAcceptReport; videoIds: number[] } {
  const entries = bulkEntries(deps, run, request);
  const report = summary(run, request, entries);
  if (entries.length === 0) return { report: { ...report, historyId: null }, videoIds: [] };
  const at = nowIso();
  const description = `Accept ${entries.length} prediction${entries.length === 1 ? '' : 's'} at ≥ ${request.minConfidence} in review`;
  deps.journal.record('review:bulk-accept', description, (rec) => {
    for (const { row } of entries) {
      giveReviewLabel(deps.store, rec, row.clip_id, row.class_id, deps.author);
      rec.insert('reviews', {
        run_id: run.id,
        clip_id: row.clip_id,
        action: 'accept',
        predicted_class_id: row.class_id,
        confidence: row.confidence,
        class_id: row.class_id,
        author: deps.author,
        created_at: at,
      });
    }
  });
  return {
    report: { ...report, historyId: deps.journal.latestId() },
    videoIds: [...new Set(entries.map((e) => e.row.video_id))],
  };
}
