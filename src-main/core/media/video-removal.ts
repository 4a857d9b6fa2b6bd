import type { Database } from 'better-sqlite3';
import type { VideoRemovalPreview } from '../../shared/dto.js';
import type { ProjectSession } from '../core-context.js';

const placeholders = (ids: readonly number[]): string => ids.map(() => '?').join(', ');

/**
 * Removes videos as one history entry: each clip (with its labels, negative labels and review
 * decisions), each anomaly mark and then the video row are journalled, so history:undo puts them
 * all back. Predictions and anomaly scores go by cascade and are not journalled: they are a run's
 * output, not a person's work, and can be made again.
 */
export function removeVideosUndoably(session: ProjectSession, ids: readonly number[]): number {
  const db = session.project.db;
  const rows = [...new Set(ids)].flatMap((id) => {
    const row = session.videos.get(id);
    return row ? [row] : [];
  });
  if (rows.length === 0) return 0;
  const present = rows.map((row) => row.id);
  const names = rows.map((row) => row.name);
  const description =
    present.length === 1 ? `Remove video ${names[0] ?? ''}` : `Remove ${present.length} videos (${names.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''})`;
  return session.labels.journal.record('videos:remove', description, (rec) => {
    for (const videoId of present) {
      for (const clip of db.prepare('SELECT id FROM clips WHERE video_id = ?').all(videoId) as { id: number }[]) {
        rec.delete('clips', clip.id);
      }
      for (const mark of db.prepare('SELECT id FROM anomaly_marks WHERE video_id = ?').all(videoId) as { id: number }[]) {
        rec.delete('anomaly_marks', mark.id);
      }
      rec.delete('videos', videoId);
    }
    return present.length;
  });
}

/** What removeVideosUndoably would take with it, for the confirm dialog. */
export function videoRemovalPreview(db: Database, ids: readonly number[]): VideoRemovalPreview {
  const unique = [...new Set(ids)];
  const inVideos = `video_id IN (${placeholders(unique)})`;
  const count = (sql: string): number => (db.prepare(sql).get(...unique) as { n: number }).n;
  const labels = db
    .prepare(
      `SELECT l.class_id AS classId, c.name AS name, COUNT(*) AS count
       FROM labels l JOIN clips k ON k.id = l.clip_id JOIN classes c ON c.id = l.class_id
       WHERE k.${inVideos} GROUP BY l.class_id ORDER BY count DESC, c.name`,
    )
    .all(...unique) as VideoRemovalPreview['labels'];
  return {
    videos: count(`SELECT COUNT(*) AS n FROM videos WHERE id IN (${placeholders(unique)})`),
    clips: count(`SELECT COUNT(*) AS n FROM clips WHERE ${inVideos}`),
    labels,
    predictions: count(`SELECT COUNT(*) AS n FROM predictions p JOIN clips k ON k.id = p.clip_id WHERE k.${inVideos}`),
    anomalyMarks: count(`SELECT COUNT(*) AS n FROM anomaly_marks WHERE ${inVideos}`),
  };
}
