import type { Database } from 'better-sqlite3';
import { anomalyTasks, encodeFloat32, type AnomalyScoresDto, type AnomalyTask } from '../../../../shared/anomaly.js';
import { encodeFrameBoxes } from '../../../../shared/anomaly-boxes.js';
import { ApiError } from '../../../../shared/errors.js';
import { VideoRepository } from '../../../media/video-repository.js';
import { requireAnomalyRun } from '../evaluation/anomaly-eval.js';
import { AnomalyScoreRepository, type StoredAnomalyScores } from './anomaly-score-repository.js';

export function scoresToDto(stored: StoredAnomalyScores): AnomalyScoresDto {
  return {
    runId: stored.runId,
    videoId: stored.videoId,
    frameCount: stored.frameCount,
    fps: stored.fps,
    scores: encodeFloat32(stored.scores),
    raw: encodeFloat32(stored.raw),
    perTask: Object.fromEntries(anomalyTasks.map((task) => [task, encodeFloat32(stored.perTask[task])])) as Record<
      AnomalyTask,
      string
    >,
    boxes: stored.boxes === null ? null : { width: stored.boxes.width, height: stored.boxes.height, frames: encodeFrameBoxes(stored.boxes.frames) },
    options: stored.options,
    sampling: stored.sampling,
    regionsScored: stored.regionsScored,
    windows: stored.windows,
    min: stored.min,
    max: stored.max,
    seconds: stored.seconds,
    scoredAt: stored.scoredAt,
  };
}

/** A video's stored curves from a run; NOT_FOUND names what is missing (the run, the video, or its scores). */
export function anomalyScores(db: Database, runId: number, videoId: number): AnomalyScoresDto {
  requireAnomalyRun(db, runId);
  const video = new VideoRepository(db).get(videoId);
  if (!video) throw new ApiError('NOT_FOUND', `There is no video ${videoId}.`);
  const stored = new AnomalyScoreRepository(db).get(runId, videoId);
  if (!stored) throw new ApiError('NOT_FOUND', `Anomaly run ${runId} has not scored ${video.name}: score it first.`);
  return scoresToDto(stored);
}
