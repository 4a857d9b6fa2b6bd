import { describe, expect, it } from 'vitest';
import { holdEdgeRegions, holdEdges } from './hold-edges.js';

describe('holdEdges', () => {
  it('gives the uncovered first and last frames the nearest covered frame’s values, leaving inner gaps alone', () => {
    const covered = Int32Array.from([-1, -1, 0, 0, -1, 1, -1, -1]);
    const a = Float32Array.from([0, 0, 2, 3, 0, 5, 0, 0]);
    const b = Float32Array.from([0, 0, 1, 1, 0, 4, 0, 0]);
    holdEdges(covered, [a, b]);
    expect(Array.from(a)).toEqual([2, 2, 2, 3, 0, 5, 5, 5]);
    expect(Array.from(b)).toEqual([1, 1, 1, 1, 0, 4, 4, 4]);
  });

  it('leaves a video without regions at 0 and rejects arrays of another length', () => {
    const none = new Float32Array(3);
    holdEdges(Int32Array.from([-1, -1, -1]), [none]);
    expect(Array.from(none)).toEqual([0, 0, 0]);
    expect(() => holdEdges(Int32Array.from([0, -1]), [new Float32Array(3)])).toThrow(/3 values for 2 frames/);
  });

  it('holds the region index the same way, so a held frame keeps the box of the region whose score it took', () => {
    const covered = Int32Array.from([-1, -1, 0, 0, -1, 1, -1, -1]);
    expect(Array.from(holdEdgeRegions(covered))).toEqual([0, 0, 0, 0, -1, 1, 1, 1]);
    expect(Array.from(covered)).toEqual([-1, -1, 0, 0, -1, 1, -1, -1]);
    expect(Array.from(holdEdgeRegions(Int32Array.from([-1, -1])))).toEqual([-1, -1]);
  });
});
