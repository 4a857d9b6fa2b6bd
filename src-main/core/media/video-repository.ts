import type { Database, Statement } from 'better-sqlite3';
import type { ProxyState, VideoDto, VideoStatus } from '../../shared/dto.js';
import { nowIso } from '../clock.js';

export interface VideoRow {
  id: number;
  path: string;
  name: string;
  hash: string | null;
  size: number | null;
  mtime_ms: number | null;
  status: VideoStatus;
  error: string | null;
  duration_sec: number | null;
  frame_count: number | null;
  avg_frame_rate: string | null;
  real_frame_rate: string | null;
  fps: number | null;
  start_time: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
  pixel_format: string | null;
  container: string | null;
  rotation: number;
  has_audio: number;
  playable: number;
  proxy_state: ProxyState;
  proxy_path: string | null;
  poster_path: string | null;
  probe_json: string | null;
  imported_at: string;
  updated_at: string;
}

/** Columns an import writes; ids and timestamps are the repository's business. */
export type VideoFields = Omit<VideoRow, 'id' | 'imported_at' | 'updated_at'>;

export function videoRowToDto(row: VideoRow): VideoDto {
  return {
    id: row.id,
    path: row.path,
    name: row.name,
    hash: row.hash,
    size: row.size,
    status: row.status,
    error: row.error,
    durationSec: row.duration_sec,
    frameCount: row.frame_count,
    avgFrameRate: row.avg_frame_rate,
    realFrameRate: row.real_frame_rate,
    fps: row.fps,
    variableFrameRate:
      row.avg_frame_rate !== null &&
      row.real_frame_rate !== null &&
      row.avg_frame_rate !== row.real_frame_rate,
    startTime: row.start_time,
    width: row.width,
    height: row.height,
    codec: row.codec,
    pixelFormat: row.pixel_format,
    container: row.container,
    rotation: row.rotation,
    hasAudio: row.has_audio === 1,
    playable: row.playable === 1,
    proxy: row.proxy_state,
    posterReady: row.poster_path !== null,
    importedAt: row.imported_at,
  };
}

const FIELD_NAMES: readonly (keyof VideoFields)[] = [
  'path', 'name', 'hash', 'size', 'mtime_ms', 'status', 'error', 'duration_sec', 'frame_count',
  'avg_frame_rate', 'real_frame_rate', 'fps', 'start_time', 'width', 'height', 'codec',
  'pixel_format', 'container', 'rotation', 'has_audio', 'playable', 'proxy_state', 'proxy_path',
  'poster_path', 'probe_json',
];

export class VideoRepository {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  /** Prepared once per SQL text: an import of thousands of files runs the same few statements. */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  get(id: number): VideoRow | null {
    return (this.sql('SELECT * FROM videos WHERE id = ?').get(id) as VideoRow | undefined) ?? null;
  }

  byPath(path: string): VideoRow | null {
    return (this.sql('SELECT * FROM videos WHERE path = ?').get(path) as VideoRow | undefined) ?? null;
  }

  /** Videos whose average and base frame rates disagree: the ones that need probed frame times. */
  variableFrameRate(): VideoRow[] {
    return this.sql('SELECT * FROM videos WHERE avg_frame_rate <> real_frame_rate ORDER BY id').all() as VideoRow[];
  }

  byHash(hash: string): VideoRow[] {
    return this.sql('SELECT * FROM videos WHERE hash = ? ORDER BY id').all(hash) as VideoRow[];
  }

  list(): VideoRow[] {
    return this.sql('SELECT * FROM videos ORDER BY name COLLATE NOCASE, id').all() as VideoRow[];
  }

  /** Inserts a video, or replaces the row at the same path (a retried failed import). */
  upsert(fields: VideoFields): VideoRow {
    const now = nowIso();
    const columns = FIELD_NAMES.join(', ');
    const placeholders = FIELD_NAMES.map((f) => `@${f}`).join(', ');
    const updates = FIELD_NAMES.filter((f) => f !== 'path')
      .map((f) => `${f} = excluded.${f}`)
      .join(', ');
    this
      .sql(
        `INSERT INTO videos (${columns}, imported_at, updated_at) VALUES (${placeholders}, @now, @now)
         ON CONFLICT (path) DO UPDATE SET ${updates}, updated_at = excluded.updated_at`,
      )
      .run({ ...fields, now });
    return this.byPath(fields.path)!;
  }

  update(id: number, fields: Partial<VideoFields>): VideoRow {
    const names = (Object.keys(fields) as (keyof VideoFields)[]).filter((f) => FIELD_NAMES.includes(f));
    if (names.length > 0) {
      const sets = names.map((f) => `${f} = @${f}`).join(', ');
      this
        .sql(`UPDATE videos SET ${sets}, updated_at = @now WHERE id = @id`)
        .run({ ...fields, id, now: nowIso() });
    }
    return this.get(id)!;
  }

  /** Videos waiting for a proxy, oldest first. */
  pendingProxyIds(): number[] {
    const rows = this
      .sql(`SELECT id FROM videos WHERE proxy_state = 'pending' AND status = 'processing' ORDER BY id`)
      .all() as { id: number }[];
    return rows.map((r) => r.id);
  }

  /** Every cache file (relative path) some row points at. */
  cacheReferences(): Set<string> {
    const rows = this
      .sql('SELECT poster_path, proxy_path FROM videos WHERE poster_path IS NOT NULL OR proxy_path IS NOT NULL')
      .all() as { poster_path: string | null; proxy_path: string | null }[];
    const refs = new Set<string>();
    for (const row of rows) {
      if (row.poster_path) refs.add(row.poster_path);
      if (row.proxy_path) refs.add(row.proxy_path);
    }
    return refs;
  }

  isCacheFileReferenced(rel: string): boolean {
    return (
      this.sql('SELECT 1 FROM videos WHERE poster_path = ? OR proxy_path = ? LIMIT 1').get(rel, rel) !==
      undefined
    );
  }

  /** Rows whose file should be on disk: the ones a missing-file check looks at. */
  presenceCandidates(): Pick<VideoRow, 'id' | 'path' | 'size' | 'status' | 'proxy_state'>[] {
    return this
      .sql(`SELECT id, path, size, status, proxy_state FROM videos WHERE status IN ('ready', 'processing', 'missing')`)
      .all() as Pick<VideoRow, 'id' | 'path' | 'size' | 'status' | 'proxy_state'>[];
  }

  /** Changes a status only if the row still has the path that was checked (an import may have moved it). */
  setStatusIfAt(id: number, path: string, status: VideoStatus): boolean {
    return (
      this
        .sql('UPDATE videos SET status = ?, updated_at = ? WHERE id = ? AND path = ? AND status <> ?')
        .run(status, nowIso(), id, path, status).changes > 0
    );
  }

  remove(ids: readonly number[]): number {
    const del = this.sql('DELETE FROM videos WHERE id = ?');
    return this.db.transaction(() => ids.reduce((n, id) => n + del.run(id).changes, 0))();
  }
}
