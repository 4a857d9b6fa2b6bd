import type { Database } from 'better-sqlite3';
import type { RunClass } from '../../../shared/run-dto.js';
import type { LabelSource } from '../../../shared/dto.js';
import type { TrainSettings } from '../../../shared/training.js';
import { ApiError } from '../../../shared/errors.js';
import { clipRefOfRow, type ClipRef, type ClipRefRow } from '../clips/clip-ref.js';
import { Rng } from '../../engine/random.js';
import type { LabelledClip } from '../jobs.js';

export interface TrainingDataset {
  /** Classes with at least one labelled clip, in the project's order: the model's outputs. */
  classes: RunClass[];
  /** Active classes nobody has labelled a clip of yet (left out of the run). */
  unlabelledClasses: RunClass[];
  train: LabelledClip[];
  validation: LabelledClip[];
  unlabelled: ClipRef[];
  /** Per unlabelled clip, the run classes (as output indices) people ruled out in Review. */
  unlabelledNegatives: number[][];
  /** Every clip of every usable video: what the run predicts at the end. */
  all: ClipRef[];
  /** Train and validation clips whose label came from review. */
  reviewLabels: number;
}

/** A clip of a usable video with its label (the lowest label id: single-label today), if any. */
export interface LabelledClipRow extends ClipRefRow {
  video_id: number;
  /** The video's codec as probed (ffprobe's name). */
  codec: string | null;
  class_id: number | null;
  label_source: LabelSource | null;
}

const toRef = clipRefOfRow;

/** Every clip of every usable video, in the order the split draws from (video path, then start). */
export function usableClipRows(db: Database): LabelledClipRow[] {
  return db
    .prepare(
      `SELECT c.id AS clip_id, v.id AS video_id, v.codec, v.path AS video_path, v.hash AS video_hash, v.fps, c.start_frame, c.end_frame,
              c.start_sec, c.end_sec,
              (SELECT class_id FROM labels WHERE clip_id = c.id ORDER BY id LIMIT 1) AS class_id,
              (SELECT source FROM labels WHERE clip_id = c.id ORDER BY id LIMIT 1) AS label_source
       FROM clips c JOIN videos v ON v.id = c.video_id
       WHERE v.status = 'ready' AND v.hash IS NOT NULL AND v.fps IS NOT NULL
       ORDER BY v.path, c.start_frame`,
    )
    .all() as LabelledClipRow[];
}

/** The active classes, in the project's order. */
export function activeClasses(db: Database): RunClass[] {
  return db.prepare('SELECT id, name FROM classes WHERE archived = 0 ORDER BY position, id').all() as RunClass[];
}

export interface LabelledSplit<Row> {
  /** Active classes with at least one labelled row, in the project's order: output index = position here. */
  classes: RunClass[];
  /** Active classes without any labelled row. */
  unlabelledClasses: RunClass[];
  train: { row: Row; classIndex: number }[];
  validation: { row: Row; classIndex: number }[];
}

/**
 * The app's split: labelled rows per class, shuffled with the seed, the first
 * round(n × validationFraction) held out for validation, and every class keeps at least one row to
 * train on. Rows of archived classes are left out. Needs two classes with labels (CONFLICT otherwise).
 */
export function splitLabelled<Row extends { class_id: number | null }>(
  active: readonly RunClass[],
  rows: readonly Row[],
  settings: Pick<TrainSettings, 'seed' | 'validationFraction'>,
): LabelledSplit<Row> {
  const byClass = new Map<number, Row[]>();
  for (const row of rows) {
    if (row.class_id !== null) byClass.set(row.class_id, [...(byClass.get(row.class_id) ?? []), row]);
  }
  const classes = active.filter((c) => byClass.has(c.id));
  const unlabelledClasses = active.filter((c) => !byClass.has(c.id));
  if (classes.length < 2) {
    throw new ApiError(
      'CONFLICT',
      classes.length === 0
        ? 'Label at least one clip in each of two classes before training.'
        : `Only "${classes[0]?.name ?? ''}" has labelled clips: label at least one clip of another class before training.`,
    );
  }
  const rng = new Rng(settings.seed);
  const train: { row: Row; classIndex: number }[] = [];
  const validation: { row: Row; classIndex: number }[] = [];
  classes.forEach((cls, classIndex) => {
    const clips = rng.shuffle([...(byClass.get(cls.id) ?? [])]);
    const held = Math.min(clips.length - 1, Math.round(clips.length * settings.validationFraction));
    clips.forEach((row, i) => (i < held ? validation : train).push({ row, classIndex }));
  });
  return { classes, unlabelledClasses, train, validation };
}

/**
 * The clips a run learns from: labelled clips split per class into train and validation
 * (seeded, every class keeps at least one clip to train on), and the unlabelled rest.
 * Expects the project's videos to be segmented already.
 */
export function gatherTrainingDataset(db: Database, settings: TrainSettings): TrainingDataset {
  const rows = usableClipRows(db);
  const { classes, unlabelledClasses, train, validation } = splitLabelled(activeClasses(db), rows, settings);
  const unlabelled = rows.filter((row) => row.class_id === null).map(toRef);
  const used = new Set(classes.map((c) => c.id));
  const reviewLabels = rows.filter((r) => r.class_id !== null && used.has(r.class_id) && r.label_source === 'review').length;
  const unlabelledNegatives = ruledOutClasses(db, unlabelled, classes);
  return {
    classes,
    unlabelledClasses,
    train: train.map(({ row, classIndex }) => ({ clip: toRef(row), classIndex })),
    validation: validation.map(({ row, classIndex }) => ({ clip: toRef(row), classIndex })),
    unlabelled,
    unlabelledNegatives,
    all: rows.map(toRef),
    reviewLabels,
  };
}

/** For each clip, the output indices of the classes people said it is not (negative labels). */
function ruledOutClasses(db: Database, clips: readonly ClipRef[], classes: readonly RunClass[]): number[][] {
  const indexOf = new Map(classes.map((c, i) => [c.id, i]));
  const byClip = new Map<number, number[]>();
  const rows = db.prepare('SELECT clip_id, class_id FROM negative_labels ORDER BY id').all() as { clip_id: number; class_id: number }[];
  for (const row of rows) {
    const index = indexOf.get(row.class_id);
    if (index !== undefined) byClip.set(row.clip_id, [...(byClip.get(row.clip_id) ?? []), index]);
  }
  return clips.map((clip) => byClip.get(clip.clipId) ?? []);
}
