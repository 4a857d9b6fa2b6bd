import { describe, expect, it } from 'vitest';
import { ANOMALY_TASKS, frameScores } from './frame-scores.js';

const { middleFrameError: MAE, backward: BACK, irregular: IRREG, teacherGap: TEACHER } = ANOMALY_TASKS;
const THREE_TASKS = [MAE, BACK, IRREG];

function expectClose(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual[i], `index ${i}`).toBeCloseTo(value, 6));
}

describe('frameScores', () => {
  // Five regions in a 10-frame video. Normalised per task:
  //   MAE   2, 4, 6, 10, 2   → (v − 2) / 8 = 0, 0.25, 0.5, 1, 0
  //   BACK  1, 3, 5, 2, 1    → (v − 1) / 4 = 0, 0.5, 1, 0.25, 0
  //   IRREG all 0.7          → all 0
  // Region sums: 0, 0.75, 1.5, 1.25, 0.
  const regions = {
    centres: [3, 3, 5, 5, 8],
    scores: {
      [MAE]: [2, 4, 6, 10, 2],
      [BACK]: [1, 3, 5, 2, 1],
      [IRREG]: [0.7, 0.7, 0.7, 0.7, 0.7],
      [TEACHER]: [100, 0, 0, 0, 0], // present but not named in the tasks: ignored
    },
  };

  it('sums normalised task scores per region and takes the maximum over regions per frame', () => {
    const result = frameScores(regions, { frameCount: 10, tasks: THREE_TASKS });
    expect(result.tasks).toEqual(THREE_TASKS);
    expectClose(result.regionScores, [0, 0.75, 1.5, 1.25, 0]);
    // Frame 3: max(0, 0.75) from region 1; frame 5: max(1.5, 1.25) from region 2; frame 8: region 4 (score 0).
    expectClose(result.frame, [0, 0, 0, 0.75, 0, 1.5, 0, 0, 0, 0]);
    expect(Array.from(result.region)).toEqual([-1, -1, -1, 1, -1, 2, -1, -1, 4, -1]);
    expect(result.ranges).toEqual({ [MAE]: { min: 2, max: 10 }, [BACK]: { min: 1, max: 5 }, [IRREG]: { min: 0.7, max: 0.7 } });
  });

  it('keeps per task the normalised score of the region that set each frame, so the parts add up', () => {
    const result = frameScores(regions, { frameCount: 10, tasks: THREE_TASKS });
    expect(Object.keys(result.perTask)).toEqual(THREE_TASKS);
    expectClose(result.perTask[MAE] ?? [], [0, 0, 0, 0.25, 0, 0.5, 0, 0, 0, 0]);
    expectClose(result.perTask[BACK] ?? [], [0, 0, 0, 0.5, 0, 1, 0, 0, 0, 0]);
    expectClose(result.perTask[IRREG] ?? [], new Array<number>(10).fill(0));
    for (let f = 0; f < 10; f++) {
      const parts = THREE_TASKS.reduce((sum, task) => sum + (result.perTask[task]?.[f] ?? NaN), 0);
      expect(parts).toBeCloseTo(result.frame[f] ?? NaN, 6);
    }
  });

  it('adds the teacher gap as a fourth task when it is named', () => {
    // TEACHER 100, 0, 0, 0, 0 → 1, 0, 0, 0, 0: region 0 now scores 1 and beats region 1 (0.75) at frame 3.
    const result = frameScores(regions, { frameCount: 10, tasks: [...THREE_TASKS, TEACHER] });
    expectClose(result.regionScores, [1, 0.75, 1.5, 1.25, 0]);
    expectClose(result.frame, [0, 0, 0, 1, 0, 1.5, 0, 0, 0, 0]);
    expect(result.region[3]).toBe(0);
    expectClose(result.perTask[TEACHER] ?? [], [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('gives a tie to the first region', () => {
    const result = frameScores({ centres: [2, 2], scores: { [MAE]: [4, 4] } }, { frameCount: 4, tasks: [MAE] });
    expect(Array.from(result.region)).toEqual([-1, -1, 0, -1]);
  });

  it('lets a region cover frames around its centre when scoring with a stride, clamped to the video', () => {
    // MAE 1, 3 → 0, 1. Region 0 covers frames 0..4 (1 ± 3, clamped), region 1 covers 4..8 and wins frame 4.
    const result = frameScores({ centres: [1, 7], scores: { [MAE]: [1, 3] } }, { frameCount: 9, tasks: [MAE], halfSpan: 3 });
    expectClose(result.frame, [0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(result.region)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('scores a video without regions as all 0 with no region and no ranges', () => {
    const result = frameScores({ centres: [], scores: { [MAE]: [] } }, { frameCount: 3, tasks: [MAE] });
    expect(Array.from(result.frame)).toEqual([0, 0, 0]);
    expect(Array.from(result.region)).toEqual([-1, -1, -1]);
    expect(result.ranges).toEqual({ [MAE]: null });
    expect(result.regionScores.length).toBe(0);
  });

  it('rejects regions outside the video and malformed options with specific messages', () => {
    const tasks = [MAE];
    expect(() => frameScores({ centres: [10], scores: { [MAE]: [1] } }, { frameCount: 10, tasks })).toThrow(
      "region 0 is centred on frame 10, but the video's frames are 0..9",
    );
    expect(() => frameScores({ centres: [0, 1.5], scores: { [MAE]: [1, 2] } }, { frameCount: 10, tasks })).toThrow(
      'region 1 is centred on frame 1.5',
    );
    expect(() => frameScores({ centres: [0], scores: { [MAE]: [1] } }, { frameCount: 0, tasks })).toThrow('the video has no frames');
    expect(() => frameScores({ centres: [], scores: {} }, { frameCount: -1, tasks })).toThrow('frame count must be an integer ≥ 0, got -1');
    expect(() => frameScores({ centres: [], scores: {} }, { frameCount: 5, tasks, halfSpan: 0.5 })).toThrow('half span must be an integer ≥ 0');
    expect(() => frameScores({ centres: [1, 2], scores: { [MAE]: [1] } }, { frameCount: 5, tasks })).toThrow(
      "task 'middle-frame-mae' has 1 scores for 2 regions",
    );
    expect(() => frameScores({ centres: [1], scores: { [MAE]: [NaN] } }, { frameCount: 5, tasks })).toThrow(
      "task 'middle-frame-mae': value 0 is NaN",
    );
  });
});
