import { describe, expect, it } from 'vitest';
import { gaussianHalfKernel, smoothScores } from './smooth.js';

function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual[i], `index ${i}`).toBeCloseTo(value, digits));
}

// With σ = 1 and 3 taps the weights are w = e^(−1/2) ≈ 0.6065306597, 1, w.

describe('gaussianHalfKernel', () => {
  it('truncates at ±⌈3σ⌉ by default and at the given tap count otherwise', () => {
    expectClose(gaussianHalfKernel(1), [1, Math.exp(-0.5), Math.exp(-2), Math.exp(-4.5)], 12);
    expect(gaussianHalfKernel(20).length).toBe(61); // radius ⌈60⌉
    expect(gaussianHalfKernel(1.5).length).toBe(6); // radius ⌈4.5⌉ = 5
    const paper = gaussianHalfKernel(20, 49); // METHODS: σ = 20, 49 taps → radius 24
    expect(paper.length).toBe(25);
    expect(paper[24]).toBeCloseTo(Math.exp(-(24 * 24) / 800), 12);
  });

  it('rejects an even or non-integer tap count and a negative σ', () => {
    expect(() => gaussianHalfKernel(20, 48)).toThrow('smoothing taps must be an odd integer ≥ 1, got 48');
    expect(() => gaussianHalfKernel(20, 2.5)).toThrow('got 2.5');
    expect(() => gaussianHalfKernel(-1)).toThrow('smoothing σ must be a finite number ≥ 0, got -1');
    expect(() => gaussianHalfKernel(NaN)).toThrow('got NaN');
  });
});

describe('smoothScores', () => {
  it('spreads an impulse by the normalised kernel away from the edges', () => {
    // w / (1 + 2w) ≈ 0.2740686191 and 1 / (1 + 2w) ≈ 0.4518627619
    const out = smoothScores([0, 0, 0, 0, 1, 0, 0, 0, 0], { sigma: 1, taps: 3 });
    expectClose(out, [0, 0, 0, 0.2740686191, 0.4518627619, 0.2740686191, 0, 0, 0]);
  });

  it('renormalises the kernel over the frames that exist at the edges', () => {
    // Frame 0 sees frames 0 and 1 only: (1·1 + w·0) / (1 + w) ≈ 0.6224593312; frame 1: w / (1 + 2w).
    const impulse = smoothScores([1, 0, 0, 0, 0], { sigma: 1, taps: 3 });
    expectClose(impulse, [0.6224593312, 0.2740686191, 0, 0, 0]);
    // A ramp 0, 1, 2, 3, 4: the interior keeps its value (the kernel is symmetric), the ends move inwards:
    // frame 0 = (0 + w·1) / (1 + w) ≈ 0.3775406688, frame 4 = (4 + w·3) / (1 + w) ≈ 3.6224593312.
    const ramp = smoothScores([0, 1, 2, 3, 4], { sigma: 1, taps: 3 });
    expectClose(ramp, [0.3775406688, 1, 2, 3, 3.6224593312]);
  });

  it('keeps a constant curve constant up to the first and last frame (no edge dip)', () => {
    const out = smoothScores(new Float32Array(50).fill(0.8), { sigma: 20 });
    for (let i = 0; i < out.length; i++) expect(out[i], `frame ${i}`).toBeCloseTo(0.8, 6);
    expectClose(smoothScores([3]), [3]);
    expect(smoothScores([]).length).toBe(0);
  });

  it('with σ = 0 returns an unchanged copy', () => {
    const scores = Float32Array.of(0.1, 0.9, 0.3);
    const out = smoothScores(scores, { sigma: 0 });
    expect(out).not.toBe(scores);
    expect(Array.from(out)).toEqual(Array.from(scores));
  });

  // Its speed is measured in bench/, not asserted here.
  it('smooths a 100,000-frame curve with the default σ = 20 and matches the direct sum', () => {
    const n = 100_000;
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) scores[i] = ((i * 7919) % 1000) / 1000;
    const out = smoothScores(scores);
    expect(out.length).toBe(n);
    // Direct weighted average at an interior frame and at the last frame (radius 60).
    for (const i of [50_000, n - 1]) {
      let sum = 0;
      let weight = 0;
      for (let j = Math.max(0, i - 60); j <= Math.min(n - 1, i + 60); j++) {
        const w = Math.exp(-((j - i) ** 2) / 800);
        sum += w * (scores[j] as number);
        weight += w;
      }
      expect(out[i]).toBeCloseTo(sum / weight, 5);
    }
  });

  it('rejects a non-finite score, naming the frame', () => {
    expect(() => smoothScores([0, 1, NaN])).toThrow('cannot smooth: frame 2 has score NaN');
    expect(() => smoothScores([-Infinity])).toThrow('frame 0 has score -Infinity');
  });
});
