import { ApiError } from '../../shared/errors.js';
import type { ReviewAction } from '../../shared/review.js';
import { nowIso } from '../clock.js';
import type { ChangeJournal, Recorder } from '../labels/change-journal.js';
import { PROTECTED_SOURCES, type CandidateRow, type ReviewStore } from './review-store.js';

export interface ReviewApplyDeps {
  store: ReviewStore;
  journal: ChangeJournal;
  author: string;
}

export interface ReviewRequest {
  runId: number;
  clipId: number;
  action: ReviewAction;
  classId?: number;
}

/** The prediction a review acts on, refused when a person (or an import) labelled the clip. */
export function reviewablePrediction(store: ReviewStore, runId: number, clipId: number): CandidateRow {
  const row = store.candidate(runId, clipId);
  if (!row) throw new ApiError('NOT_FOUND', `Run ${runId} has no prediction for clip ${clipId}.`);
  const protectedLabel = store.labelsOf(clipId).find((l) => PROTECTED_SOURCES.includes(l.source));
  if (protectedLabel) {
    const by = protectedLabel.source === 'import' ? 'an import' : 'a person';
    throw new ApiError(
      'CONFLICT',
      `Clip ${clipId} (${row.video_name}, ${row.start_sec.toFixed(2)}–${row.end_sec.toFixed(2)} s) was labelled ` +
        `“${store.className(protectedLabel.class_id) ?? protectedLabel.class_id}” by ${by}; review never changes that label.`,
    );
  }
  return row;
}

function requireClass(store: ReviewStore, classId: number): string {
  const name = store.className(classId);
  if (name === null) throw new ApiError('NOT_FOUND', `There is no class ${classId}.`);
  return name;
}

/**
 * Accept, correct or reject as one journal entry (so history:undo takes it back with its review
 * row); a skip is only recorded. The caller has checked the clip with `reviewablePrediction`.
 */
export function applyReview(deps: ReviewApplyDeps, request: ReviewRequest): void {
  const { store, journal, author } = deps;
  const row = reviewablePrediction(store, request.runId, request.clipId);
  const review = {
    run_id: request.runId,
    clip_id: request.clipId,
    predicted_class_id: row.class_id,
    confidence: row.confidence,
    author,
    created_at: nowIso(),
  };
  switch (request.action) {
    case 'skip':
      store.insertUnjournalled({ ...review, action: 'skip', class_id: null });
      return;
    case 'accept':
    case 'correct': {
      const classId = request.action === 'accept' ? row.class_id : (request.classId ?? row.class_id);
      if (request.action === 'accept' && store.className(classId) === null) {
        throw new ApiError(
          'NOT_FOUND',
          `The class run ${request.runId} predicted for clip ${request.clipId} was deleted since: correct the clip to another class.`,
        );
      }
      const name = requireClass(store, classId);
      const verb = request.action === 'accept' ? 'Accept' : 'Correct to';
      journal.record(`review:${request.action}`, `${verb} “${name}” in review`, (rec) => {
        giveReviewLabel(store, rec, request.clipId, classId, author);
        rec.insert('reviews', { ...review, action: request.action, class_id: classId });
      });
      return;
    }
    case 'reject': {
      const classId = request.classId ?? row.class_id;
      const name = requireClass(store, classId);
      journal.record('review:reject', `Rule out “${name}” in review`, (rec) => {
        ruleOut(store, rec, request.clipId, classId, author);
        rec.insert('reviews', { ...review, action: 'reject', class_id: classId });
      });
      return;
    }
  }
}

/** The clip's one label becomes `classId` from review; "not classId" goes, if it was there. */
export function giveReviewLabel(store: ReviewStore, rec: Recorder, clipId: number, classId: number, author: string): void {
  const labels = store.labelsOf(clipId);
  const only = labels.length === 1 ? labels[0] : undefined;
  if (!(only && only.class_id === classId && only.source === 'review')) {
    for (const label of labels) rec.delete('labels', label.id);
    rec.insert('labels', { clip_id: clipId, class_id: classId, source: 'review', author, created_at: nowIso() });
  }
  const negative = store.negativeId(clipId, classId);
  if (negative !== null) rec.delete('negative_labels', negative);
}

/** Stores "not classId" for the clip and drops a review label of that class. */
function ruleOut(store: ReviewStore, rec: Recorder, clipId: number, classId: number, author: string): void {
  for (const label of store.labelsOf(clipId)) {
    if (label.class_id === classId && label.source === 'review') rec.delete('labels', label.id);
  }
  if (store.negativeId(clipId, classId) === null) {
    rec.insert('negative_labels', { clip_id: clipId, class_id: classId, source: 'review', author, created_at: nowIso() });
  }
}
