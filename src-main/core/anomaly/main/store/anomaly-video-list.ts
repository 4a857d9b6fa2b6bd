import type { Database } from 'better-sqlite3';
import type { AnomalyVideoDto } from '../../../../shared/anomaly.js';
import { VideoRepository } from '../../../media/video-repository.js';
import { requireAnomalyRun } from '../evaluation/anomaly-eval.js';
import { AnomalyMarkRepository } from '../marks/anomaly-mark-repository.js';
import { AnomalyScoreRepository } from './anomaly-score-repository.js';

/** Every video of the project (by name) with its mark counts and, given a run, whether it is scored and its peak. */
export function anomalyVideos(db: Database, runId?: number): AnomalyVideoDto[] {
  if (runId !== undefined) requireAnomalyRun(db, runId);
  const scored = new Map((runId === undefined ? [] : new AnomalyScoreRepository(db).list(runId)).map((s) => [s.videoId, s]));
  const counts = new AnomalyMarkRepository(db).countsByVideo();
  return new VideoRepository(db).list().map((row) => {
    const summary = scored.get(row.id);
    return {
      videoId: row.id,
      path: row.path,
      frameCount: row.frame_count,
      fps: row.fps,
      scored: summary !== undefined,
      max: summary?.max ?? null,
      marks: counts.get(row.id) ?? { anomaly: 0, normal: 0 },
    };
  });
}
