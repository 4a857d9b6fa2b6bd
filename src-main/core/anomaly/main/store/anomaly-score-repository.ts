import type { Database } from 'better-sqlite3';
import {
  anomalyTasks,
  TEACHER_TASK,
  anomalyScoreOptionsSchema,
  type AnomalySampling,
  type AnomalyScoresDto,
  type AnomalyTaskName,
  type PerTask,
} from '../../../../shared/anomaly.js';
import type { RegionBoxes } from '../../../../shared/anomaly-boxes.js';
import { nowIso } from '../../../clock.js';

/** A video's stored curves from one anomaly run: the DTO with its curves as arrays. */
export type StoredAnomalyScores = Omit<AnomalyScoresDto, 'scores' | 'raw' | 'perTask' | 'boxes'> & {
  /** Smoothed score per frame. */
  scores: Float32Array;
  raw: Float32Array;
  perTask: PerTask<Float32Array>;
  /** Per frame, the box of the region that made its score; null for curves scored before boxes were kept. */
  boxes: RegionBoxes | null;
};

export type NewAnomalyScores = Omit<StoredAnomalyScores, 'min' | 'max' | 'scoredAt'>;

/** One line per scored video of a run: no curves, for lists. */
export interface AnomalyScoreSummary {
  videoId: number;
  frameCount: number;
  max: number;
  scoredAt: string;
}

interface ScoreRow {
  run_id: number;
  video_id: number;
  frame_count: number;
  fps: number | null;
  scores: Buffer;
  raw: Buffer;
  tasks_json: string;
  per_task: Buffer;
  boxes: Buffer | null;
  box_width: number | null;
  box_height: number | null;
  options_json: string;
  regions_scored: number;
  motion_windows: number;
  grid_windows: number;
  min_score: number;
  max_score: number;
  seconds: number;
  scored_at: string;
}

function toBlob(values: Float32Array | Int16Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A copy: a Buffer from SQLite may share (and misalign) its memory. */
function fromBlob(blob: Buffer, offset = 0, length = blob.byteLength / 4): Float32Array {
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(blob.subarray(offset * 4, (offset + length) * 4));
  return out;
}

/** A copy, as fromBlob. */
function boxesOf(row: ScoreRow): RegionBoxes | null {
  const { boxes, box_width: width, box_height: height, frame_count: frameCount } = row;
  if (boxes === null || width === null || height === null) return null;
  if (boxes.byteLength !== frameCount * 8) throw new Error(`anomaly scores: the stored boxes are ${boxes.byteLength} bytes for ${frameCount} frames`);
  const frames = new Int16Array(frameCount * 4);
  new Uint8Array(frames.buffer).set(boxes);
  return { width, height, frames };
}

function range(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length === 0 ? { min: 0, max: 0 } : { min, max };
}

/** Per-frame anomaly curves, one row per run and video (scoring again replaces it). */
export class AnomalyScoreRepository {
  constructor(private readonly db: Database) {}

  save(scores: NewAnomalyScores): void {
    const n = scores.frameCount;
    const tasks: AnomalyTaskName[] = scores.perTask[TEACHER_TASK] ? [...anomalyTasks, TEACHER_TASK] : [...anomalyTasks];
    const curves: [string, Float32Array | undefined][] = [
      ['scores', scores.scores],
      ['raw', scores.raw],
      ...tasks.map((t): [string, Float32Array | undefined] => [t, scores.perTask[t]]),
    ];
    for (const [name, curve] of curves) {
      if (curve?.length !== n) throw new Error(`anomaly scores: ${name} has ${curve?.length ?? 0} values for ${n} frames`);
    }
    const boxes = scores.boxes;
    if (boxes !== null && boxes.frames.length !== n * 4) {
      throw new Error(`anomaly scores: boxes has ${boxes.frames.length} values for ${n} frames (4 each)`);
    }
    const perTask = new Float32Array(n * tasks.length);
    tasks.forEach((task, i) => perTask.set(scores.perTask[task] ?? [], i * n));
    const { min, max } = range(scores.scores);
    this.db
      .prepare(
        `INSERT INTO anomaly_scores (run_id, video_id, frame_count, fps, scores, raw, tasks_json, per_task, boxes, box_width,
           box_height, options_json, regions_scored, motion_windows, grid_windows, min_score, max_score, seconds, scored_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, video_id) DO UPDATE SET
           frame_count = excluded.frame_count, fps = excluded.fps, scores = excluded.scores, raw = excluded.raw,
           tasks_json = excluded.tasks_json, per_task = excluded.per_task, boxes = excluded.boxes,
           box_width = excluded.box_width, box_height = excluded.box_height, options_json = excluded.options_json,
           regions_scored = excluded.regions_scored, motion_windows = excluded.motion_windows,
           grid_windows = excluded.grid_windows, min_score = excluded.min_score, max_score = excluded.max_score,
           seconds = excluded.seconds, scored_at = excluded.scored_at`,
      )
      .run(
        scores.runId,
        scores.videoId,
        n,
        scores.fps,
        toBlob(scores.scores),
        toBlob(scores.raw),
        JSON.stringify(tasks),
        toBlob(perTask),
        boxes === null ? null : toBlob(boxes.frames),
        boxes?.width ?? null,
        boxes?.height ?? null,
        // The options asked for and what they came to for this video, in one column (no migration: curves
        // stored before have only the options, read with sampling null).
        JSON.stringify({ ...scores.options, used: scores.sampling }),
        scores.regionsScored,
        scores.windows.motion,
        scores.windows.grid,
        min,
        max,
        scores.seconds,
        nowIso(),
      );
  }

  get(runId: number, videoId: number): StoredAnomalyScores | null {
    const row = this.db.prepare('SELECT * FROM anomaly_scores WHERE run_id = ? AND video_id = ?').get(runId, videoId) as ScoreRow | undefined;
    return row ? toStored(row) : null;
  }

  /** Every scored video of a run, in video order. */
  list(runId: number): AnomalyScoreSummary[] {
    const rows = this.db
      .prepare('SELECT video_id, frame_count, max_score, scored_at FROM anomaly_scores WHERE run_id = ? ORDER BY video_id')
      .all(runId) as Pick<ScoreRow, 'video_id' | 'frame_count' | 'max_score' | 'scored_at'>[];
    return rows.map((r) => ({ videoId: r.video_id, frameCount: r.frame_count, max: r.max_score, scoredAt: r.scored_at }));
  }

  count(runId: number): number {
    const row = this.db.prepare('SELECT COUNT(*) AS n FROM anomaly_scores WHERE run_id = ?').get(runId) as { n: number };
    return row.n;
  }
}

function toStored(row: ScoreRow): StoredAnomalyScores {
  const n = row.frame_count;
  const tasks = JSON.parse(row.tasks_json) as string[];
  const curve = (task: AnomalyTaskName) => {
    const index = tasks.indexOf(task);
    return index < 0 ? null : fromBlob(row.per_task, index * n, n);
  };
  const perTask: PerTask<Float32Array> = {
    'middle-frame-mae': curve('middle-frame-mae') ?? new Float32Array(n),
    'p-backward': curve('p-backward') ?? new Float32Array(n),
    'p-irregular': curve('p-irregular') ?? new Float32Array(n),
  };
  const teacher = curve(TEACHER_TASK);
  if (teacher !== null) perTask[TEACHER_TASK] = teacher;
  return {
    runId: row.run_id,
    videoId: row.video_id,
    frameCount: n,
    fps: row.fps,
    scores: fromBlob(row.scores),
    raw: fromBlob(row.raw),
    perTask,
    boxes: boxesOf(row),
    ...storedOptions(row.options_json),
    regionsScored: row.regions_scored,
    windows: { motion: row.motion_windows, grid: row.grid_windows },
    min: row.min_score,
    max: row.max_score,
    seconds: row.seconds,
    scoredAt: row.scored_at,
  };
}

/** options_json: the asked options (seconds, or the frame `stride`/`sigma` curves stored before seconds have) and `used`. */
function storedOptions(json: string): { options: AnomalyScoresDto['options']; sampling: AnomalySampling | null } {
  const { used, ...asked } = JSON.parse(json) as { used?: AnomalySampling | null } & Record<string, unknown>;
  return { options: anomalyScoreOptionsSchema.parse(asked), sampling: used ?? null };
}
