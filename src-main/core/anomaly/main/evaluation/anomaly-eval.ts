import type { Database } from 'better-sqlite3';
import { anomalyTasks, TEACHER_TASK, type AnomalyEvalDto, type AnomalyVideoAuc, type PerTask } from '../../../../shared/anomaly.js';
import { ApiError } from '../../../../shared/errors.js';
import { VideoRepository } from '../../../media/video-repository.js';
import { frameAuc, type VideoFrames } from './frame-auc.js';
import { rocAuc } from './roc-auc.js';
import { precisionRecallSummary, type PrecisionRecallSummary } from './precision-recall.js';
import { AnomalyMarkRepository } from '../marks/anomaly-mark-repository.js';
import type { TimingSource } from '../marks/mark-video.js';
import { AnomalyScoreRepository, type StoredAnomalyScores } from '../store/anomaly-score-repository.js';
import { truthFromFile, truthFromMarks, type VideoTruth } from './run-truth.js';

export function requireAnomalyRun(db: Database, runId: number): void {
  const row = db.prepare('SELECT id FROM anomaly_runs WHERE id = ?').get(runId);
  if (!row) throw new ApiError('NOT_FOUND', `There is no anomaly run ${runId}.`);
}

interface Evaluated {
  truth: VideoTruth;
  stored: StoredAnomalyScores;
  frames: Uint8Array;
}

function holdsBothClasses(evaluated: readonly Evaluated[]): boolean {
  let frames = 0;
  let positives = 0;
  for (const e of evaluated) {
    frames += e.frames.length;
    for (const t of e.frames) positives += t;
  }
  return positives > 0 && positives < frames;
}

/** Every evaluated frame's curve value and truth, video after video. */
function concatenated(evaluated: readonly Evaluated[], curve: (e: Evaluated) => Float32Array): { scores: Float32Array; truth: Uint8Array } {
  const total = evaluated.reduce((sum, e) => sum + e.frames.length, 0);
  const scores = new Float32Array(total);
  const truth = new Uint8Array(total);
  let offset = 0;
  for (const e of evaluated) {
    scores.set(curve(e).subarray(0, e.frames.length), offset);
    truth.set(e.frames, offset);
    offset += e.frames.length;
  }
  return { scores, truth };
}

/** AUC of one curve per video against the truth, or null when the frames hold one class only. */
function concatenatedAuc(evaluated: readonly Evaluated[], curve: (e: Evaluated) => Float32Array): number | null {
  const { scores, truth } = concatenated(evaluated, curve);
  let positives = 0;
  for (const t of truth) positives += t;
  return positives === 0 || positives === truth.length ? null : rocAuc(scores, truth);
}

/**
 * Frame-level AUC of a run's stored smoothed scores: micro (all evaluated frames in one ranking),
 * macro (mean of per-video AUCs), and the micro AUC of each task's unsmoothed part. Truth comes
 * from the marks, or from a csv when `truthFile` is given (see run-truth.ts). Scores and truth
 * pair up over the frames the scoring decoded; truth past a file's end counts normal.
 */
export function evaluateRun(db: Database, runId: number, timing: TimingSource, truthFile?: string): AnomalyEvalDto {
  requireAnomalyRun(db, runId);
  const scores = new AnomalyScoreRepository(db);
  const videos = new VideoRepository(db);
  const scored = new Set(scores.list(runId).map((s) => s.videoId));
  const truths =
    truthFile === undefined
      ? truthFromMarks(new AnomalyMarkRepository(db), videos)
      : truthFromFile(truthFile, videos.list(), scored, timing);

  const evaluated: Evaluated[] = [];
  const unscored: AnomalyEvalDto['unscored'] = [];
  for (const truth of truths) {
    const stored = scored.has(truth.videoId) ? scores.get(runId, truth.videoId) : null;
    if (!stored) unscored.push({ videoId: truth.videoId, path: truth.path });
    else evaluated.push({ truth, stored, frames: truth.truthOf(stored.frameCount) });
  }

  const perTask = Object.fromEntries(
    anomalyTasks.map((task) => [task, evaluated.length === 0 ? null : concatenatedAuc(evaluated, (e) => e.stored.perTask[task])]),
  ) as PerTask<number | null>;
  if (evaluated.length > 0 && evaluated.every((e) => e.stored.perTask[TEACHER_TASK] !== undefined)) {
    perTask[TEACHER_TASK] = concatenatedAuc(evaluated, (e) => e.stored.perTask[TEACHER_TASK]!);
  }
  let micro: number | null = null;
  let macro: number | null = null;
  let perVideo: AnomalyVideoAuc[];
  let pr: PrecisionRecallSummary | null = null;
  if (holdsBothClasses(evaluated)) {
    const all = concatenated(evaluated, (e) => e.stored.scores);
    pr = precisionRecallSummary(all.scores, all.truth);
    const result = frameAuc(
      evaluated.map((e): VideoFrames => ({ video: e.truth.path, scores: e.stored.scores, truth: e.frames })),
    );
    micro = result.micro;
    macro = result.macro;
    perVideo = result.videos.map((v, i) => ({
      videoId: evaluated[i]!.truth.videoId,
      path: evaluated[i]!.truth.path,
      frames: v.frames,
      anomalousFrames: v.anomalousFrames,
      auc: v.auc,
    }));
  } else {
    perVideo = evaluated.map((e) => ({
      videoId: e.truth.videoId,
      path: e.truth.path,
      frames: e.frames.length,
      anomalousFrames: e.frames.reduce((sum, t) => sum + t, 0),
      auc: null,
    }));
  }
  return {
    runId,
    truth: truthFile === undefined ? 'marks' : 'file',
    micro,
    macro,
    averagePrecision: pr?.averagePrecision ?? null,
    bestF1: pr?.bestF1 ?? null,
    perTask,
    videos: perVideo,
    unscored,
  };
}
