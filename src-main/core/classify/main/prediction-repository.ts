import type { Database } from 'better-sqlite3';
import type { PredictionDto, RunClass } from '../../../shared/run-dto.js';
import type { PredictionRow } from '../jobs.js';
import { predictionStats } from './prediction-stats.js';

interface StoredPrediction {
  clip_id: number;
  video_id: number;
  video_name: string;
  video_path: string;
  start_sec: number;
  end_sec: number;
  start_frame: number;
  end_frame: number;
  class_id: number;
  confidence: number;
  margin: number;
  entropy: number;
  uncertainty: number | null;
  probs: Buffer;
  label_class_id: number | null;
}

export interface PredictionQuery {
  classId?: number;
  videoId?: number;
  unlabelledOnly: boolean;
  offset: number;
  limit: number;
}

export interface ImportedPrediction {
  clipId: number;
  classId: number;
  /** Index of `classId` in the run's classes. */
  classIndex: number;
  probs: number[];
}

export interface ExportedPrediction extends PredictionDto {
  videoPath: string;
}

function toBlob(values: readonly number[]): Buffer {
  const array = Float32Array.from(values);
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

export function fromBlob(blob: Buffer): number[] {
  const copy = new Float32Array(blob.byteLength / 4);
  new Uint8Array(copy.buffer).set(blob);
  return Array.from(copy);
}

const SELECT = `
  SELECT p.clip_id, c.video_id, v.name AS video_name, v.path AS video_path, c.start_sec, c.end_sec,
         c.start_frame, c.end_frame, p.class_id, p.confidence, p.margin, p.entropy, p.uncertainty, p.probs,
         (SELECT class_id FROM labels WHERE clip_id = c.id ORDER BY id LIMIT 1) AS label_class_id
  FROM predictions p
  JOIN clips c ON c.id = p.clip_id
  JOIN videos v ON v.id = c.video_id`;

function toDto(row: StoredPrediction): ExportedPrediction {
  return {
    clipId: row.clip_id,
    videoId: row.video_id,
    videoName: row.video_name,
    videoPath: row.video_path,
    startSec: row.start_sec,
    endSec: row.end_sec,
    startFrame: row.start_frame,
    endFrame: row.end_frame,
    classId: row.class_id,
    confidence: row.confidence,
    margin: row.margin,
    entropy: row.entropy,
    uncertainty: row.uncertainty,
    probs: fromBlob(row.probs),
    labelClassId: row.label_class_id,
  };
}

/** Per run, per clip: the probabilities and what is derived from them. */
export class PredictionRepository {
  constructor(private readonly db: Database) {}

  /** Stores (or replaces) predictions; class indices map to the run's classes. */
  save(runId: number, classes: readonly RunClass[], rows: readonly PredictionRow[]): void {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO predictions
         (run_id, clip_id, class_id, confidence, margin, entropy, uncertainty, probs, mc_mean, mc_std, mutual_info, features)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM clips WHERE id = ?)`,
    );
    this.db.transaction(() => {
      for (const row of rows) {
        const stats = predictionStats(row.probs);
        const cls = classes[stats.classIndex];
        if (!cls) throw new Error(`A prediction names class ${stats.classIndex}, but the run has ${classes.length}.`);
        const hasMc = row.mcStd.length === row.probs.length;
        insert.run(
          runId,
          row.clipId,
          cls.id,
          stats.confidence,
          stats.margin,
          stats.entropy,
          hasMc ? (row.mcStd[stats.classIndex] ?? null) : null,
          toBlob(row.probs),
          hasMc ? toBlob(row.mcMean) : null,
          hasMc ? toBlob(row.mcStd) : null,
          hasMc ? (row.mutualInfo ?? null) : null,
          row.features && row.features.length > 0 ? toBlob(row.features) : null,
          row.clipId,
        );
      }
    })();
  }

  /**
   * Stores the predictions of an imported run: the file names one class per clip, so the class
   * is given, not the argmax of `probs` (a confidence under 1/K would otherwise lose to the rest).
   */
  saveImported(runId: number, rows: readonly ImportedPrediction[]): void {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO predictions (run_id, clip_id, class_id, confidence, margin, entropy, uncertainty, probs)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
    );
    this.db.transaction(() => {
      for (const row of rows) {
        const confidence = row.probs[row.classIndex] ?? 0;
        const runnerUp = Math.max(0, ...row.probs.filter((_, i) => i !== row.classIndex));
        const { entropy } = predictionStats(row.probs);
        insert.run(runId, row.clipId, row.classId, confidence, confidence - runnerUp, entropy, toBlob(row.probs));
      }
    })();
  }

  clear(runId: number): void {
    this.db.prepare('DELETE FROM predictions WHERE run_id = ?').run(runId);
  }

  count(runId: number, query?: Pick<PredictionQuery, 'classId' | 'videoId' | 'unlabelledOnly'>): number {
    const { where, args } = filter(runId, query);
    const row = this.db
      .prepare(`SELECT COUNT(*) AS count FROM predictions p JOIN clips c ON c.id = p.clip_id ${where}`)
      .get(...args) as { count: number };
    return row.count;
  }

  page(runId: number, query: PredictionQuery): PredictionDto[] {
    const { where, args } = filter(runId, query);
    const rows = this.db
      .prepare(`${SELECT} ${where} ORDER BY v.name, c.start_frame LIMIT ? OFFSET ?`)
      .all(...args, query.limit, query.offset) as StoredPrediction[];
    return rows.map((row) => {
      const { videoPath: _path, ...dto } = toDto(row);
      return dto;
    });
  }

  /** Every prediction of the run with the video path, in video and time order (for exports). */
  all(runId: number): ExportedPrediction[] {
    const rows = this.db
      .prepare(`${SELECT} WHERE p.run_id = ? ORDER BY v.path, c.start_frame`)
      .all(runId) as StoredPrediction[];
    return rows.map(toDto);
  }
}

function filter(
  runId: number,
  query?: Pick<PredictionQuery, 'classId' | 'videoId' | 'unlabelledOnly'>,
): { where: string; args: unknown[] } {
  const clauses = ['p.run_id = ?'];
  const args: unknown[] = [runId];
  if (query?.classId !== undefined) {
    clauses.push('p.class_id = ?');
    args.push(query.classId);
  }
  if (query?.videoId !== undefined) {
    clauses.push('c.video_id = ?');
    args.push(query.videoId);
  }
  if (query?.unlabelledOnly) clauses.push('NOT EXISTS (SELECT 1 FROM labels l WHERE l.clip_id = c.id)');
  return { where: `WHERE ${clauses.join(' AND ')}`, args };
}
