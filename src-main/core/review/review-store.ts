import type { Database } from 'better-sqlite3';
import type { LabelSource } from '../../shared/dto.js';
import type { ReviewAction, ReviewDecision, ReviewFilter } from '../../shared/review.js';
import { fromBlob } from '../classify/main/prediction-repository.js';

/** One stored prediction of a run with the clip's place and its current label. */
export interface CandidateRow {
  clip_id: number;
  video_id: number;
  video_name: string;
  start_frame: number;
  end_frame: number;
  start_sec: number;
  end_sec: number;
  class_id: number;
  confidence: number;
  margin: number;
  entropy: number;
  uncertainty: number | null;
  mutual_info: number | null;
  probs: Buffer;
  /** Penultimate features (float32; null for imported runs and older predictions). */
  features: Buffer | null;
  label_class_id: number | null;
  label_source: LabelSource | null;
  label_at: string | null;
  /** When the predicted class was ruled out for this clip (in any run's review, or by an import). */
  predicted_rejected_at: string | null;
}

export interface ReviewRow {
  id: number;
  run_id: number | null;
  clip_id: number;
  action: ReviewAction;
  predicted_class_id: number;
  confidence: number;
  class_id: number | null;
  author: string;
  created_at: string;
}

/** Labels a prediction must never change: a person's, or an import's. */
export const PROTECTED_SOURCES: readonly LabelSource[] = ['human', 'import'];

const CANDIDATES = `
  SELECT p.clip_id, c.video_id, v.name AS video_name, c.start_frame, c.end_frame, c.start_sec, c.end_sec,
         p.class_id, p.confidence, p.margin, p.entropy, p.uncertainty, p.mutual_info, p.probs, p.features,
         l.class_id AS label_class_id, l.source AS label_source, l.created_at AS label_at,
         (SELECT created_at FROM negative_labels n WHERE n.clip_id = p.clip_id AND n.class_id = p.class_id) AS predicted_rejected_at
  FROM predictions p
  JOIN clips c ON c.id = p.clip_id
  JOIN videos v ON v.id = c.video_id
  LEFT JOIN labels l ON l.id = (SELECT MIN(id) FROM labels WHERE clip_id = c.id)`;

export function probsOf(row: CandidateRow): number[] {
  return fromBlob(row.probs);
}

/** The rows the review queue reads: predictions, review decisions, negative labels. */
export class ReviewStore {
  constructor(private readonly db: Database) {}

  /** The run's predictions that pass the filter (labelled ones included: the queue sorts them out). */
  candidates(runId: number, filter: ReviewFilter): CandidateRow[] {
    const clauses = ['p.run_id = ?', 'p.confidence >= ?', 'p.confidence <= ?'];
    const args: unknown[] = [runId, filter.minConfidence, filter.maxConfidence];
    if (filter.videoId !== undefined) {
      clauses.push('c.video_id = ?');
      args.push(filter.videoId);
    }
    if (filter.classIds && filter.classIds.length > 0) {
      clauses.push(`p.class_id IN (${filter.classIds.map(() => '?').join(', ')})`);
      args.push(...filter.classIds);
    }
    if (filter.clipIds) {
      clauses.push(`p.clip_id IN (${filter.clipIds.map(() => '?').join(', ')})`);
      args.push(...filter.clipIds);
    }
    return this.db.prepare(`${CANDIDATES} WHERE ${clauses.join(' AND ')}`).all(...args) as CandidateRow[];
  }

  candidate(runId: number, clipId: number): CandidateRow | null {
    const row = this.db.prepare(`${CANDIDATES} WHERE p.run_id = ? AND p.clip_id = ?`).get(runId, clipId) as
      | CandidateRow
      | undefined;
    return row ?? null;
  }

  /** Per clip, the newest decision (not a skip) taken on the run's predictions. */
  latestDecisions(runId: number, clipId?: number): Map<number, ReviewRow> {
    const rows = this.db
      .prepare(
        `SELECT r.* FROM reviews r
         WHERE r.run_id = ? AND r.action <> 'skip' ${clipId !== undefined ? 'AND r.clip_id = ?' : ''}
           AND r.id = (SELECT MAX(id) FROM reviews r2 WHERE r2.run_id = r.run_id AND r2.clip_id = r.clip_id AND r2.action <> 'skip')`,
      )
      .all(...(clipId !== undefined ? [runId, clipId] : [runId])) as ReviewRow[];
    return new Map(rows.map((r) => [r.clip_id, r]));
  }

  /** Classes ruled out per clip, for the clips the run predicted (or one clip). */
  negatives(runId: number, clipId?: number): Map<number, number[]> {
    const rows = (
      clipId !== undefined
        ? this.db.prepare('SELECT clip_id, class_id FROM negative_labels WHERE clip_id = ? ORDER BY id').all(clipId)
        : this.db
            .prepare(
              `SELECT n.clip_id, n.class_id FROM negative_labels n
               JOIN predictions p ON p.clip_id = n.clip_id AND p.run_id = ? ORDER BY n.id`,
            )
            .all(runId)
    ) as { clip_id: number; class_id: number }[];
    const byClip = new Map<number, number[]>();
    for (const row of rows) byClip.set(row.clip_id, [...(byClip.get(row.clip_id) ?? []), row.class_id]);
    return byClip;
  }

  /** Every label row of a clip (single-label today, but never assume it). */
  labelsOf(clipId: number): { id: number; class_id: number; source: LabelSource }[] {
    return this.db.prepare('SELECT id, class_id, source FROM labels WHERE clip_id = ? ORDER BY id').all(clipId) as {
      id: number;
      class_id: number;
      source: LabelSource;
    }[];
  }

  negativeId(clipId: number, classId: number): number | null {
    const row = this.db.prepare('SELECT id FROM negative_labels WHERE clip_id = ? AND class_id = ?').get(clipId, classId) as
      | { id: number }
      | undefined;
    return row?.id ?? null;
  }

  className(classId: number): string | null {
    const row = this.db.prepare('SELECT name FROM classes WHERE id = ?').get(classId) as { name: string } | undefined;
    return row?.name ?? null;
  }

  /** Writes a review row outside the change journal (a skip: recorded, not undoable). */
  insertUnjournalled(values: Omit<ReviewRow, 'id'>): void {
    this.db
      .prepare(
        `INSERT INTO reviews (run_id, clip_id, action, predicted_class_id, confidence, class_id, author, created_at)
         VALUES (@run_id, @clip_id, @action, @predicted_class_id, @confidence, @class_id, @author, @created_at)`,
      )
      .run(values);
  }

  /** Per clip, the newest decision (not a skip) on the run, whatever became of it since. */
  decisionsForQuality(runId: number): ReviewRow[] {
    return [...this.latestDecisions(runId).values()];
  }
}

/**
 * The decision shown for a clip: its newest decision on this run, as long as what it did is still
 * in place (the label it gave, or the class it ruled out; an undo removes the row itself). Without
 * one, what review decided in an earlier round still counts: a label from review, or the predicted
 * class ruled out, so a later round asks only new questions.
 */
export function decisionInPlace(review: ReviewRow | undefined, row: CandidateRow, rejected: readonly number[]): ReviewDecision | null {
  if (review && review.action !== 'skip' && review.class_id !== null) {
    const inPlace = review.action === 'reject' ? rejected.includes(review.class_id) : row.label_class_id === review.class_id;
    if (inPlace) return { action: review.action, classId: review.class_id, at: review.created_at };
  }
  if (row.label_source === 'review' && row.label_class_id !== null) {
    const action = row.label_class_id === row.class_id ? 'accept' : 'correct';
    return { action, classId: row.label_class_id, at: row.label_at ?? '' };
  }
  if (row.label_class_id === null && row.predicted_rejected_at !== null) {
    return { action: 'reject', classId: row.class_id, at: row.predicted_rejected_at };
  }
  return null;
}
