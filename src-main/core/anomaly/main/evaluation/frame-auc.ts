import { ApiError } from '../../../../shared/errors.js';
import { classCounts, rocAuc, type ClassCounts, type Scores, type Truth } from './roc-auc.js';

/** One video's per-frame scores and ground truth, frame for frame. */
export interface VideoFrames {
  /** How the video is named in results (its path or id). */
  video: string;
  scores: Scores;
  truth: Truth;
}

export interface VideoAuc {
  video: string;
  frames: number;
  anomalousFrames: number;
  /** Null when the video's truth has one class only: such a video has no AUC of its own. */
  auc: number | null;
  /** Why the video is left out of the macro AUC. */
  excluded?: 'all normal' | 'all anomalous';
}

export interface FrameAucResult {
  /** AUC over all videos' frames concatenated. */
  micro: number;
  /** Mean of the per-video AUCs; null when no video has both classes. */
  macro: number | null;
  videos: VideoAuc[];
  /** Videos left out of the macro AUC (their truth is all normal or all anomalous). */
  excludedFromMacro: string[];
  frames: number;
  anomalousFrames: number;
}

function countsNamingVideo(entry: VideoFrames): ClassCounts {
  try {
    return classCounts(entry.scores, entry.truth);
  } catch (error) {
    if (error instanceof ApiError) throw new ApiError(error.code, `Video ${entry.video}: ${error.message}`);
    throw error;
  }
}

function videoAuc(entry: VideoFrames): VideoAuc {
  if (entry.scores.length !== entry.truth.length) {
    throw new ApiError(
      'INVALID_PARAMS',
      `Video ${entry.video} has ${entry.scores.length} scored frames but ${entry.truth.length} ground-truth frames.`,
    );
  }
  const counts = countsNamingVideo(entry);
  const base = { video: entry.video, frames: entry.truth.length, anomalousFrames: counts.positives };
  if (counts.positives === 0) return { ...base, auc: null, excluded: 'all normal' };
  if (counts.negatives === 0) return { ...base, auc: null, excluded: 'all anomalous' };
  return { ...base, auc: rocAuc(entry.scores, entry.truth) };
}

/**
 * Frame-level micro AUC (every frame of every video in one ranking) and macro AUC (the mean of
 * per-video AUCs). As in the anomaly-detection literature, a video whose truth is all normal or
 * all anomalous has no AUC and is left out of the macro mean; the result lists those videos.
 */
export function frameAuc(videos: readonly VideoFrames[]): FrameAucResult {
  if (videos.length === 0) throw new ApiError('INVALID_PARAMS', 'Frame AUC needs at least one video.');
  const perVideo = videos.map(videoAuc);
  const frames = perVideo.reduce((sum, v) => sum + v.frames, 0);
  const anomalousFrames = perVideo.reduce((sum, v) => sum + v.anomalousFrames, 0);
  if (anomalousFrames === 0 || anomalousFrames === frames) {
    const which = anomalousFrames === 0 ? 'normal' : 'anomalous';
    throw new ApiError(
      'INVALID_PARAMS',
      `AUC needs both normal and anomalous frames, but the ground truth marks all ${frames} frames` +
        ` of ${videos.length} video${videos.length === 1 ? '' : 's'} as ${which}.`,
    );
  }
  const allScores = new Float64Array(frames);
  const allTruth = new Uint8Array(frames);
  let offset = 0;
  for (const entry of videos) {
    for (let i = 0; i < entry.truth.length; i++) {
      allScores[offset + i] = entry.scores[i]!;
      allTruth[offset + i] = entry.truth[i]!;
    }
    offset += entry.truth.length;
  }
  const scored = perVideo.filter((v) => v.auc !== null);
  const macro = scored.length === 0 ? null : scored.reduce((sum, v) => sum + v.auc!, 0) / scored.length;
  return {
    micro: rocAuc(allScores, allTruth),
    macro,
    videos: perVideo,
    excludedFromMacro: perVideo.filter((v) => v.excluded !== undefined).map((v) => v.video),
    frames,
    anomalousFrames,
  };
}
