import { describe, expect, it } from 'vitest';
import { floatImage } from './float-image.js';
import { POLY, POLY_CHANNELS, polynomialExpansion } from './polynomial-expansion.js';

describe('polynomialExpansion', () => {
  it('recovers the coefficients of a quadratic image around every interior pixel', () => {
    const size = 24;
    const q = (x: number, y: number) => 7 + 1.5 * x - 0.75 * y + 0.02 * x * x - 0.03 * y * y + 0.05 * x * y;
    const image = floatImage(size, size, 1);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) image.data[y * size + x] = q(x, y);
    const r = polynomialExpansion(image, 5, 1.1);
    expect(r.channels).toBe(POLY_CHANNELS);
    for (const [x, y] of [[5, 5], [12, 9], [18, 18]] as const) {
      const o = (y * size + x) * POLY_CHANNELS;
      // Around (x0, y0): ∂q/∂x = 1.5 + 0.04·x0 + 0.05·y0, ∂q/∂y = −0.75 − 0.06·y0 + 0.05·x0.
      expect(r.data[o + POLY.bx]).toBeCloseTo(1.5 + 0.04 * x + 0.05 * y, 4);
      expect(r.data[o + POLY.by]).toBeCloseTo(-0.75 - 0.06 * y + 0.05 * x, 4);
      expect(r.data[o + POLY.axx]).toBeCloseTo(0.02, 5);
      expect(r.data[o + POLY.ayy]).toBeCloseTo(-0.03, 5);
      expect(r.data[o + POLY.axy]).toBeCloseTo(0.05, 5);
    }
  });

  it('rejects a multi-channel image and bad window settings', () => {
    expect(() => polynomialExpansion(floatImage(8, 8, 2), 5, 1.1)).toThrow('expects one channel, got 2');
    expect(() => polynomialExpansion(floatImage(8, 8, 1), 0, 1.1)).toThrow('n must be an integer ≥ 1, got 0');
    expect(() => polynomialExpansion(floatImage(8, 8, 1), 5, 0)).toThrow('sigma must be > 0, got 0');
  });
});
