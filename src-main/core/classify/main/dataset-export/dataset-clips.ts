import type { Database } from 'better-sqlite3';
import type { DatasetSkip } from '../../../../shared/dataset-export.js';
import type { RunClass } from '../../../../shared/run-dto.js';
import type { TrainSettings } from '../../../../shared/training.js';
import { ApiError } from '../../../../shared/errors.js';
import { ReviewStore, PROTECTED_SOURCES } from '../../../review/review-store.js';
import { activeClasses, splitLabelled, usableClipRows, type LabelledClipRow } from '../training-dataset.js';

export interface DatasetClip {
  row: LabelledClipRow;
  classIndex: number;
  split: 'train' | 'val';
  /** The label came from an accepted pseudo-label of the named run. */
  pseudo: boolean;
}

export interface DatasetClips {
  classes: RunClass[];
  clips: DatasetClip[];
  /** Labelled clips of videos that are not ready (missing, failed, still processing). */
  skipped: DatasetSkip[];
}

export interface PseudoLabelChoice {
  runId: number;
  minConfidence: number;
}

/**
 * The clips a dataset holds, split the way a training run of the app splits them: labels people gave
 * (by hand or by importing a file) always; with a run named, also the labels its review put in
 * place — accepted predictions at least `minConfidence` sure, and corrections (a person chose
 * their class). Labels review gave for other runs are left out.
 */
export function gatherDatasetClips(
  db: Database,
  split: Pick<TrainSettings, 'seed' | 'validationFraction'>,
  pseudo?: PseudoLabelChoice,
): DatasetClips {
  const pseudoClips = pseudo ? acceptedPseudoLabels(db, pseudo) : new Set<number>();
  const rows = usableClipRows(db).map((row) => {
    const kept = row.label_source !== null && (PROTECTED_SOURCES.includes(row.label_source) || pseudoClips.has(row.clip_id));
    return kept ? row : { ...row, class_id: null };
  });
  const active = activeClasses(db);
  const skipped = labelledClipsOfUnusableVideos(db);
  const labelled = new Set(rows.flatMap((row) => (row.class_id === null ? [] : [row.class_id])));
  if (active.filter((c) => labelled.has(c.id)).length < 2) {
    const why = skipped.length > 0 ? ` (left out: ${skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')})` : '';
    throw new ApiError('CONFLICT', `A dataset needs labelled clips of at least two classes in videos that are ready${why}.`);
  }
  const { classes, train, validation } = splitLabelled(active, rows, split);
  const clips = [
    ...train.map(({ row, classIndex }) => ({ row, classIndex, split: 'train' as const })),
    ...validation.map(({ row, classIndex }) => ({ row, classIndex, split: 'val' as const })),
  ].map((clip) => ({ ...clip, pseudo: clip.row.label_source === 'review' }));
  return { classes, clips, skipped };
}

/** Clips whose label the run's review put there and is still in place, above the confidence. */
function acceptedPseudoLabels(db: Database, choice: PseudoLabelChoice): Set<number> {
  const run = db.prepare("SELECT id FROM runs WHERE id = ? AND kind = 'classify'").get(choice.runId);
  if (run === undefined) throw new ApiError('NOT_FOUND', `There is no training run ${choice.runId}.`);
  const labels = new Map(
    (
      db.prepare("SELECT clip_id, class_id FROM labels WHERE source = 'review' ORDER BY id").all() as {
        clip_id: number;
        class_id: number;
      }[]
    ).map((l) => [l.clip_id, l.class_id]),
  );
  const accepted = new Set<number>();
  for (const [clipId, review] of new ReviewStore(db).latestDecisions(choice.runId)) {
    const inPlace = review.class_id !== null && labels.get(clipId) === review.class_id;
    const sure = review.action === 'correct' || (review.action === 'accept' && review.confidence >= choice.minConfidence);
    if (inPlace && sure) accepted.add(clipId);
  }
  return accepted;
}

function labelledClipsOfUnusableVideos(db: Database): DatasetSkip[] {
  const rows = db
    .prepare(
      `SELECT v.path, v.status, COUNT(*) AS clips FROM clips c JOIN videos v ON v.id = c.video_id
       WHERE EXISTS (SELECT 1 FROM labels WHERE clip_id = c.id)
         AND NOT (v.status = 'ready' AND v.hash IS NOT NULL AND v.fps IS NOT NULL)
       GROUP BY v.id ORDER BY v.path`,
    )
    .all() as { path: string; status: string; clips: number }[];
  return rows.map((r) => ({
    path: r.path,
    frames: null,
    reason: `the video is ${r.status}: its ${r.clips} labelled clip${r.clips === 1 ? '' : 's'} left out`,
  }));
}
