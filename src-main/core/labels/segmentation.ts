import type { Database } from 'better-sqlite3';
import type { Segmentation } from '../../shared/dto.js';
import { durationOf, nearestBoundary, timeOfFrame, type VideoTiming } from '../../shared/frame-time.js';
import { nowIso } from '../clock.js';
import type { VideoRow } from '../media/video-repository.js';
import { isLabellable, timingOfVideo } from './video-timing.js';

export type TimingOf = (row: VideoRow) => VideoTiming;

export const DEFAULT_SEGMENTATION: Segmentation = { windowSec: 2, strideSec: 2 };

export function segmentationKey(s: Segmentation): string {
  return `${s.windowSec}/${s.strideSec}`;
}

export function readSegmentation(db: Database): Segmentation {
  const row = db.prepare(`SELECT value FROM project_meta WHERE key = 'segmentation'`).get() as
    | { value: string }
    | undefined;
  if (!row) return DEFAULT_SEGMENTATION;
  const [window, stride] = row.value.split('/').map(Number);
  return window && stride ? { windowSec: window, strideSec: stride } : DEFAULT_SEGMENTATION;
}

export function writeSegmentation(db: Database, s: Segmentation): void {
  db.prepare(
    `INSERT INTO project_meta (key, value) VALUES ('segmentation', ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(segmentationKey(s));
}

/** Fixed windows over the whole video, each edge on a frame boundary; the tail keeps what is left. */
export function cutIntoWindows(timing: VideoTiming, s: Segmentation): [number, number][] {
  const duration = durationOf(timing);
  const ranges: [number, number][] = [];
  let lastStart = -1;
  for (let k = 0; ; k++) {
    const t = k * s.strideSec;
    if (t >= duration - 1e-9) break;
    const start = nearestBoundary(timing, t);
    const end = Math.min(timing.frameCount, nearestBoundary(timing, t + s.windowSec));
    if (start >= timing.frameCount) break;
    if (end > start && start > lastStart) ranges.push([start, end]);
    lastStart = start;
  }
  return ranges;
}

/**
 * Cuts the automatic clips of every labellable video not yet cut with the project's current
 * segmentation. Derived data, so not journalled: a video's first cut has nothing to undo.
 */
export function ensureSegmented(
  db: Database,
  videoIds?: readonly number[],
  timingOf: TimingOf = timingOfVideo,
): number[] {
  const spec = readSegmentation(db);
  const key = segmentationKey(spec);
  const where = videoIds ? `AND id IN (${videoIds.map(() => '?').join(',')})` : '';
  const pending = db
    .prepare(`SELECT * FROM videos WHERE (segmentation IS NULL OR segmentation <> ?) ${where}`)
    .all(key, ...(videoIds ?? [])) as VideoRow[];
  const cut: number[] = [];
  const insert = db.prepare(
    `INSERT INTO clips (video_id, start_frame, end_frame, start_sec, end_sec, origin, created_at)
     VALUES (?, ?, ?, ?, ?, 'auto', ?)`,
  );
  const dropUnlabelledAuto = db.prepare(
    `DELETE FROM clips WHERE video_id = ? AND origin = 'auto'
       AND NOT EXISTS (SELECT 1 FROM labels WHERE labels.clip_id = clips.id)
       AND NOT EXISTS (SELECT 1 FROM negative_labels n WHERE n.clip_id = clips.id)`,
  );
  const existingAuto = db.prepare(`SELECT start_frame, end_frame FROM clips WHERE video_id = ? AND origin = 'auto'`);
  const mark = db.prepare('UPDATE videos SET segmentation = ? WHERE id = ?');
  for (const video of pending) {
    if (!isLabellable(video)) continue;
    const timing = timingOf(video);
    db.transaction(() => {
      dropUnlabelledAuto.run(video.id);
      // Labelled automatic clips (or ones with a class ruled out) from an earlier cut stay; do not cut a duplicate of one.
      const kept = new Set(
        (existingAuto.all(video.id) as { start_frame: number; end_frame: number }[]).map(
          (c) => `${c.start_frame}:${c.end_frame}`,
        ),
      );
      const now = nowIso();
      for (const [start, end] of cutIntoWindows(timing, spec)) {
        if (kept.has(`${start}:${end}`)) continue;
        insert.run(video.id, start, end, timeOfFrame(timing, start), timeOfFrame(timing, end), now);
      }
      mark.run(key, video.id);
    })();
    cut.push(video.id);
  }
  return cut;
}
