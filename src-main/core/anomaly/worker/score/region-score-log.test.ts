import { describe, expect, it } from 'vitest';
import { RegionScoreLog } from './region-score-log.js';

describe('RegionScoreLog', () => {
  it('keeps every region of many batches in order, with its box, past its first capacity', () => {
    const log = new RegionScoreLog(['a', 'b']);
    for (let batch = 0; batch < 100; batch++) {
      const centres = [batch * 3, batch * 3];
      const boxes = [{ x: batch, y: 1, width: 32, height: 32 }, { x: 0, y: batch, width: 48, height: 40 }];
      log.add(centres, boxes, { a: [batch, batch + 0.5], b: Float32Array.of(-batch, 1), ignored: [9] });
    }
    expect(log.count).toBe(200);
    const { centres, scores } = log.toRegionTaskScores();
    expect(centres).toBeInstanceOf(Int32Array);
    expect(Array.from(centres.slice(196))).toEqual([294, 294, 297, 297]);
    expect(Array.from(scores.a!.slice(0, 4))).toEqual([0, 0.5, 1, 1.5]);
    expect(Array.from(scores.b!.slice(198))).toEqual([-99, 1]);
    expect(Object.keys(scores)).toEqual(['a', 'b']);
    const boxes = log.toRegionBoxes();
    expect(boxes).toHaveLength(800);
    expect(Array.from(boxes.slice(792))).toEqual([99, 1, 32, 32, 0, 99, 48, 40]);
  });

  it('rejects a batch without a task or with the wrong count of scores or boxes', () => {
    const log = new RegionScoreLog(['a', 'b']);
    const box = { x: 0, y: 0, width: 8, height: 8 };
    expect(() => log.add([1, 2], [box, box], { a: [1, 2] })).toThrow(/the batch has no 'b' scores/);
    expect(() => log.add([1, 2], [box, box], { a: [1, 2], b: [1] })).toThrow(/1 'b' scores for 2 regions/);
    expect(() => log.add([1, 2], [box], { a: [1, 2], b: [1, 2] })).toThrow(/1 boxes for 2 regions/);
    expect(log.count).toBe(0);
  });
});
