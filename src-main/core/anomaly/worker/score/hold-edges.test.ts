import { describe, expect, it } from 'vitest';
import { holdEdges } from './hold-edges.js';

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
});
