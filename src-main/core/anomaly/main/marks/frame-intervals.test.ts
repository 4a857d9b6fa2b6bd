import { describe, expect, it } from 'vitest';
import { runsOfOnes, subtractIntervals } from './frame-intervals.js';

describe('frame intervals', () => {
  it('turns runs of 1s into [start, end) intervals, including runs at either end', () => {
    expect(runsOfOnes([1, 1, 0, 0, 1, 0, 1, 1, 1])).toEqual([
      { start: 0, end: 2 },
      { start: 4, end: 5 },
      { start: 6, end: 9 },
    ]);
    expect(runsOfOnes(new Uint8Array(5))).toEqual([]);
    expect(runsOfOnes([])).toEqual([]);
  });

  it('cuts intervals out of others', () => {
    expect(
      subtractIntervals(
        [{ start: 0, end: 100 }, { start: 200, end: 210 }],
        [{ start: 90, end: 205 }, { start: 10, end: 20 }, { start: 0, end: 5 }],
      ),
    ).toEqual([
      { start: 5, end: 10 },
      { start: 20, end: 90 },
      { start: 205, end: 210 },
    ]);
    expect(subtractIntervals([{ start: 0, end: 10 }], [{ start: 0, end: 10 }])).toEqual([]);
    expect(subtractIntervals([{ start: 0, end: 10 }], [])).toEqual([{ start: 0, end: 10 }]);
  });
});
