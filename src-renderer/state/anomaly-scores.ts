/** A video's score curves decoded from the API's base64 float32 (pure). */
import { anomalyTasks, decodeFloat32, TEACHER_TASK, type AnomalyTaskName, type PerTask } from '../../src-main/shared/anomaly-curves.js';
import type { AnomalySampling, AnomalyScoresDto } from '../../src-main/shared/anomaly.js';
import { decodeFrameBoxes, type RegionBoxes } from '../../src-main/shared/anomaly-boxes.js';

export interface DecodedScores {
  runId: number;
  videoId: number;
  frameCount: number;
  fps: number | null;
  /** The smoothed score per frame: the curve drawn, the events, the AUC. */
  values: Float32Array;
  /** Each task's part of the unsmoothed score (the teacher's only when the run distils one). */
  perTask: PerTask<Float32Array>;
  /** The tasks this curve has parts of, in order. */
  tasks: AnomalyTaskName[];
  raw: Float32Array;
  /** Per frame, the box of the region that made its score; null for curves scored before boxes were kept. */
  boxes: RegionBoxes | null;
  min: number;
  max: number;
  regionsScored: number;
  windows: { motion: number; grid: number };
  /** What the scoring sampled and used (null for curves stored before it was recorded). */
  sampling: AnomalySampling | null;
}

export function decodeScores(dto: AnomalyScoresDto): DecodedScores {
  const teacher = dto.perTask[TEACHER_TASK];
  const perTask: PerTask<Float32Array> = {
    'middle-frame-mae': decodeFloat32(dto.perTask['middle-frame-mae']),
    'p-backward': decodeFloat32(dto.perTask['p-backward']),
    'p-irregular': decodeFloat32(dto.perTask['p-irregular']),
    ...(teacher === undefined ? {} : { [TEACHER_TASK]: decodeFloat32(teacher) }),
  };
  return {
    runId: dto.runId,
    videoId: dto.videoId,
    frameCount: dto.frameCount,
    fps: dto.fps,
    values: decodeFloat32(dto.scores),
    perTask,
    tasks: teacher === undefined ? [...anomalyTasks] : [...anomalyTasks, TEACHER_TASK],
    raw: decodeFloat32(dto.raw),
    boxes: dto.boxes === null ? null : { width: dto.boxes.width, height: dto.boxes.height, frames: decodeFrameBoxes(dto.boxes.frames) },
    min: dto.min,
    max: dto.max,
    regionsScored: dto.regionsScored,
    windows: dto.windows,
    sampling: dto.sampling,
  };
}

/** The threshold at `share` of the way from the curve's lowest to its highest score. */
export function thresholdAt(scores: Pick<DecodedScores, 'min' | 'max'>, share: number): number {
  return scores.min + Math.min(1, Math.max(0, share)) * (scores.max - scores.min);
}

/** The slider share that puts the threshold at `score` on this curve (clamped to its lowest..highest; 0.5 on a flat curve). */
export function shareAt(scores: Pick<DecodedScores, 'min' | 'max'>, score: number): number {
  const span = scores.max - scores.min;
  return span > 0 ? Math.min(1, Math.max(0, (score - scores.min) / span)) : 0.5;
}

/** Frames [start, end) between two frames picked in any order (both included). */
export function spanOf(a: number, b: number): { start: number; end: number } {
  return { start: Math.min(a, b), end: Math.max(a, b) + 1 };
}
