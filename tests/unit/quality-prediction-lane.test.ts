/** The Label view's prediction lane: which clips it shows, how strongly, and what Enter accepts. */
import { describe, expect, it } from 'vitest';
import type { ClipDto } from '../../src-main/shared/dto.js';
import { LABEL_KEYMAP, RESERVED_LABEL_KEYS } from '../../src-main/shared/keymap.js';
import type { RunDto } from '../../src-main/shared/run-dto.js';
import { defaultTrainSettings } from '../../src-main/shared/training.js';
import { commandForKey } from '../../src-renderer/features/label/label-keys.js';
import {
  MIN_PREDICTION_ALPHA,
  lanePredictions,
  latestPredictedRun,
  predictionAt,
  predictionOpacity,
  predictionText,
} from '../../src-renderer/features/label/prediction-lane.js';
import {
  AUTO_LANE_TOP,
  LANE_HEIGHT,
  PREDICTION_LANE_TOP,
  TIMELINE_HEIGHT,
  USER_LANE_TOP,
  laneAt,
} from '../../src-renderer/features/label/timeline-layout.js';

function clip(id: number, startFrame: number, endFrame: number, classId: number | null = null, origin: 'auto' | 'user' = 'auto'): ClipDto {
  return { id, videoId: 1, startFrame, endFrame, startSec: startFrame / 25, endSec: endFrame / 25, origin, classId, labelSource: classId === null ? null : 'human' };
}

describe('prediction opacity', () => {
  it('is faint at chance level, solid at certainty, and grows with confidence', () => {
    expect(predictionOpacity(0.5, 2)).toBe(MIN_PREDICTION_ALPHA);
    expect(predictionOpacity(0.2, 2)).toBe(MIN_PREDICTION_ALPHA);
    expect(predictionOpacity(1, 2)).toBe(1);
    expect(predictionOpacity(0.75, 2)).toBeCloseTo(MIN_PREDICTION_ALPHA + (1 - MIN_PREDICTION_ALPHA) / 2);
    expect(predictionOpacity(0.6, 5)).toBeGreaterThan(predictionOpacity(0.4, 5));
    // A run with one class (or none known yet) still draws by confidence.
    expect(predictionOpacity(0.5, 1)).toBeCloseTo(MIN_PREDICTION_ALPHA + (1 - MIN_PREDICTION_ALPHA) * 0.5);
    expect(predictionOpacity(Number.NaN, 3)).toBe(MIN_PREDICTION_ALPHA);
  });
});

describe('the lane', () => {
  const clips = [clip(1, 0, 50), clip(2, 50, 100, 7), clip(3, 100, 150), clip(4, 110, 130, null, 'user')];
  const byId = new Map(clips.map((c) => [c.id, c]));
  const predictions = [
    { clipId: 3, classId: 8, confidence: 0.9 },
    { clipId: 1, classId: 7, confidence: 0.6 },
    { clipId: 2, classId: 8, confidence: 0.99 },
    { clipId: 4, classId: 7, confidence: 0.7 },
    { clipId: 42, classId: 7, confidence: 0.8 },
  ];

  it('shows predictions of unlabelled clips that still exist, at their frames, sorted by start', () => {
    const lane = lanePredictions(predictions, byId, (c) => c.classId);
    expect(lane.map((p) => [p.clipId, p.startFrame, p.endFrame, p.classId])).toEqual([
      [1, 0, 50, 7],
      [3, 100, 150, 8],
      [4, 110, 130, 7],
    ]);
  });

  it('a label being saved hides the prediction at once', () => {
    const lane = lanePredictions(predictions, byId, (c) => (c.id === 1 ? 8 : c.classId));
    expect(lane.map((p) => p.clipId)).toEqual([3, 4]);
  });

  it('under the playhead: the clip a class key would label, else the shortest covering clip', () => {
    const lane = lanePredictions(predictions, byId, (c) => c.classId);
    expect(predictionAt(lane, 10, 1)?.clipId).toBe(1);
    expect(predictionAt(lane, 60, 2)).toBeNull();
    expect(predictionAt(lane, 120, 3)?.clipId).toBe(3);
    expect(predictionAt(lane, 120, null)?.clipId).toBe(4);
    expect(predictionAt(lane, 149, null)?.clipId).toBe(3);
    expect(predictionAt(lane, 150, null)).toBeNull();
  });

  it('shows the newest finished run that predicted clips', () => {
    const run = (id: number, status: RunDto['status'], predictions: number): RunDto => ({ ...stubRun, id, status, predictions });
    const runs = [run(1, 'succeeded', 20), run(2, 'succeeded', 20), run(3, 'running', 0), run(4, 'succeeded', 0), run(5, 'failed', 0)];
    expect(latestPredictedRun(runs)?.id).toBe(2);
    expect(latestPredictedRun([])).toBeNull();
  });

  it('words the readout', () => {
    expect(predictionText('walk', 0.874)).toBe('walk · 87 %');
  });
});

describe('timeline layout and the accept key', () => {
  it('puts the prediction lane under the segments, inside the canvas', () => {
    expect(PREDICTION_LANE_TOP).toBeGreaterThanOrEqual(USER_LANE_TOP + LANE_HEIGHT);
    expect(TIMELINE_HEIGHT).toBeGreaterThanOrEqual(PREDICTION_LANE_TOP + LANE_HEIGHT);
    expect(laneAt(AUTO_LANE_TOP + 1)).toBe('auto');
    expect(laneAt(USER_LANE_TOP + 1)).toBe('user');
    expect(laneAt(PREDICTION_LANE_TOP + 1)).toBe('prediction');
    expect(laneAt(TIMELINE_HEIGHT - 1)).toBe('prediction');
  });

  it('Enter accepts the prediction, a key no class hotkey can take', () => {
    const none = new Map();
    expect(commandForKey({ key: 'Enter', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false }, none)).toEqual({
      kind: 'action',
      action: 'accept-prediction',
    });
    expect(LABEL_KEYMAP.filter((b) => b.keys.includes('Enter'))).toHaveLength(1);
    expect(RESERVED_LABEL_KEYS.has('enter')).toBe(false);
  });
});

const stubRun: RunDto = {
  id: 0,
  name: 'stub',
  origin: 'trained',
  source: null,
  method: 'supervised',
  settings: defaultTrainSettings('supervised'),
  status: 'succeeded',
  error: null,
  jobId: null,
  backend: null,
  backendReason: null,
  epochsDone: 1,
  classes: [],
  dataset: { train: 0, validation: 0, unlabelled: 0 },
  last: null,
  bestValidationAccuracy: null,
  stop: null,
  predictions: 0,
  resumable: false,
  hasModel: true,
  createdAt: '2025-01-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
};
