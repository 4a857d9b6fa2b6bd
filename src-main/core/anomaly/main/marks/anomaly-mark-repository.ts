import type { Database } from 'better-sqlite3';
import type { AnomalyMarkDto, AnomalyMarkKind } from '../../../../shared/anomaly.js';

export interface AnomalyMarkRow {
  id: number;
  video_id: number;
  start_frame: number;
  end_frame: number;
  kind: AnomalyMarkKind;
  source: 'human' | 'import';
  author: string;
  created_at: string;
}

export function markRowToDto(row: AnomalyMarkRow): AnomalyMarkDto {
  return {
    id: row.id,
    videoId: row.video_id,
    startFrame: row.start_frame,
    endFrame: row.end_frame,
    kind: row.kind,
    source: row.source,
    createdAt: row.created_at,
  };
}

export interface MarkCounts {
  anomaly: number;
  normal: number;
}

/** Reads anomaly marks; every write goes through the change journal (see AnomalyMarkService). */
export class AnomalyMarkRepository {
  constructor(private readonly db: Database) {}

  get(id: number): AnomalyMarkRow | null {
    return (this.db.prepare('SELECT * FROM anomaly_marks WHERE id = ?').get(id) as AnomalyMarkRow | undefined) ?? null;
  }

  /** Marks in video and frame order, optionally of one video and/or one kind. */
  list(filter: { videoId?: number; kind?: AnomalyMarkKind } = {}): AnomalyMarkRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.videoId !== undefined) {
      where.push('video_id = ?');
      args.push(filter.videoId);
    }
    if (filter.kind !== undefined) {
      where.push('kind = ?');
      args.push(filter.kind);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.db
      .prepare(`SELECT * FROM anomaly_marks ${clause} ORDER BY video_id, start_frame, end_frame, id`)
      .all(...args) as AnomalyMarkRow[];
  }

  /** Marks of one kind on a video that overlap or touch [start, end) (a gap of zero frames joins them). */
  joining(videoId: number, kind: AnomalyMarkKind, start: number, end: number): AnomalyMarkRow[] {
    return this.db
      .prepare(
        `SELECT * FROM anomaly_marks WHERE video_id = ? AND kind = ? AND start_frame <= ? AND end_frame >= ?
         ORDER BY start_frame, id`,
      )
      .all(videoId, kind, end, start) as AnomalyMarkRow[];
  }

  /** Marks per video and kind (videos without marks are absent). */
  countsByVideo(): Map<number, MarkCounts> {
    const rows = this.db
      .prepare('SELECT video_id, kind, COUNT(*) AS n FROM anomaly_marks GROUP BY video_id, kind')
      .all() as { video_id: number; kind: AnomalyMarkKind; n: number }[];
    const counts = new Map<number, MarkCounts>();
    for (const row of rows) {
      const entry = counts.get(row.video_id) ?? { anomaly: 0, normal: 0 };
      entry[row.kind] = row.n;
      counts.set(row.video_id, entry);
    }
    return counts;
  }
}
