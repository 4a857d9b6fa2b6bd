/**
 * The prediction lane of the Label view's timeline, as pure functions: which clips it shows
 * (the predicted clips nobody labelled yet), how strongly each is drawn, and which one is under
 * the playhead for the readout and the accept key.
 */
import type { ClipDto } from '../../../src-main/shared/dto.js';
import type { PredictionDto, RunDto } from '../../../src-main/shared/run-dto.js';

/** One predicted clip on the lane, at the clip's current frames. */
export interface LanePrediction {
  clipId: number;
  startFrame: number;
  endFrame: number;
  classId: number;
  confidence: number;
}

/** The faintest a prediction is drawn, so even a guess at chance level stays visible. */
export const MIN_PREDICTION_ALPHA = 0.25;

/**
 * How opaque a prediction is drawn: chance level (1 / classes) is faint, certainty is solid.
 * Linear in between, so 87 % looks surer than 60 % at a glance.
 */
export function predictionOpacity(confidence: number, classCount: number): number {
  const chance = classCount > 1 ? 1 / classCount : 0;
  const t = Math.min(1, Math.max(0, (confidence - chance) / (1 - chance)));
  return MIN_PREDICTION_ALPHA + (1 - MIN_PREDICTION_ALPHA) * (Number.isFinite(t) ? t : 0);
}

/**
 * The predictions the lane draws, sorted like the clips: those of clips that still exist and
 * carry no label (a label, from a person or from review, says more than a prediction).
 */
export function lanePredictions(
  predictions: readonly Pick<PredictionDto, 'clipId' | 'classId' | 'confidence'>[],
  clipsById: ReadonlyMap<number, ClipDto>,
  labelOf: (clip: ClipDto) => number | null,
): LanePrediction[] {
  const lane: LanePrediction[] = [];
  for (const p of predictions) {
    const clip = clipsById.get(p.clipId);
    if (!clip || labelOf(clip) !== null) continue;
    lane.push({ clipId: clip.id, startFrame: clip.startFrame, endFrame: clip.endFrame, classId: p.classId, confidence: p.confidence });
  }
  return lane.sort((a, b) => a.startFrame - b.startFrame || a.endFrame - b.endFrame || a.clipId - b.clipId);
}

/**
 * The prediction under the playhead: the one of the clip a class key would label when it has
 * one, else the shortest predicted clip covering the frame.
 */
export function predictionAt(lane: readonly LanePrediction[], frame: number, preferredClipId: number | null): LanePrediction | null {
  let found: LanePrediction | null = null;
  for (const p of lane) {
    if (p.startFrame > frame) break;
    if (p.endFrame <= frame) continue;
    if (p.clipId === preferredClipId) return p;
    if (!found || p.endFrame - p.startFrame < found.endFrame - found.startFrame) found = p;
  }
  return found;
}

/** The run whose predictions the lane shows: the newest finished run that predicted clips. */
export function latestPredictedRun(runs: readonly RunDto[]): RunDto | null {
  let best: RunDto | null = null;
  for (const run of runs) {
    if (run.status !== 'succeeded' || run.predictions === 0) continue;
    if (!best || run.id > best.id) best = run;
  }
  return best;
}

/** "walk · 87 %" */
export function predictionText(className: string, confidence: number): string {
  return `${className} · ${Math.round(confidence * 100)} %`;
}
