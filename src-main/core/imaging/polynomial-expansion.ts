import { floatImage, type FloatImage } from './float-image.js';

/**
 * Channels of a polynomial expansion, per pixel: the local model around the pixel is
 * f(x, y) ≈ c + bx·x + by·y + axx·x² + ayy·y² + axy·x·y (x right, y down, in pixels).
 */
export const POLY = { bx: 0, by: 1, axx: 2, ayy: 3, axy: 4 } as const;
export const POLY_CHANNELS = 5;

interface Applicability {
  g: Float64Array;
  xg: Float64Array;
  xxg: Float64Array;
  /** Entries of the inverse normal-equation matrix that the separable sums need. */
  ig11: number;
  ig03: number;
  ig33: number;
  ig55: number;
}

/**
 * Gaussian applicability over [−n, n] and the inverse of the weighted least-squares matrix of
 * the basis {1, x, y, x², y², xy}. With a separable, normalised Gaussian the odd moments vanish,
 * so only the {1, x², y²} block needs inverting, and its x²/y² cross term is zero (m22 = m2²).
 */
function applicability(n: number, sigma: number): Applicability {
  const size = 2 * n + 1;
  const g = new Float64Array(size);
  for (let i = -n; i <= n; i++) g[i + n] = Math.exp(-(i * i) / (2 * sigma * sigma));
  const total = g.reduce((a, b) => a + b, 0);
  for (let i = 0; i < size; i++) g[i]! /= total;
  const xg = g.map((v, i) => (i - n) * v);
  const xxg = g.map((v, i) => (i - n) * (i - n) * v);
  let m2 = 0;
  let m4 = 0;
  for (let i = -n; i <= n; i++) {
    m2 += g[i + n]! * i * i;
    m4 += g[i + n]! * i ** 4;
  }
  // Block [[1, m2, m2], [m2, m4, m2²], [m2, m2², m4]]: its inverse's (x², 1) and (x², x²) entries.
  const det = m4 * m4 - m2 ** 4 - 2 * m2 * m2 * (m4 - m2 * m2);
  const ig03 = (m2 ** 3 - m2 * m4) / det;
  const ig33 = (m4 - m2 * m2) / det;
  return { g, xg, xxg, ig11: 1 / m2, ig03, ig33, ig55: 1 / (m2 * m2) };
}

/**
 * Farnebäck's polynomial expansion of a one-channel image: a quadratic fitted around every pixel
 * by Gaussian-weighted least squares over a (2n+1)² window (edges replicated), computed with
 * separable sums as OpenCV's FarnebackPolyExp. Returns POLY_CHANNELS channels (see POLY).
 */
export function polynomialExpansion(image: FloatImage, n: number, sigma: number): FloatImage {
  if (image.channels !== 1) throw new Error(`polynomialExpansion: expects one channel, got ${image.channels}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`polynomialExpansion: n must be an integer ≥ 1, got ${n}`);
  if (!(sigma > 0)) throw new Error(`polynomialExpansion: sigma must be > 0, got ${sigma}`);
  const { width, height, data } = image;
  const { g, xg, xxg, ig11, ig03, ig33, ig55 } = applicability(n, sigma);
  const out = floatImage(width, height, POLY_CHANNELS);
  const dst = out.data;
  // Vertical sums of one row, padded by n replicated columns each side: [Σg·f, Σy·g·f, Σy²·g·f].
  const padded = width + 2 * n;
  const row = new Float64Array(padded * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const centre = data[y * width + x]!;
      let s0 = g[n]! * centre;
      let s1 = 0;
      let s2 = 0;
      for (let k = 1; k <= n; k++) {
        const up = data[Math.max(y - k, 0) * width + x]!;
        const down = data[Math.min(y + k, height - 1) * width + x]!;
        s0 += g[n + k]! * (down + up);
        s1 += xg[n + k]! * (down - up);
        s2 += xxg[n + k]! * (down + up);
      }
      const at = (x + n) * 3;
      row[at] = s0;
      row[at + 1] = s1;
      row[at + 2] = s2;
    }
    for (let k = 0; k < n; k++) {
      row.copyWithin(k * 3, n * 3, n * 3 + 3);
      row.copyWithin((n + width + k) * 3, (n + width - 1) * 3, (n + width) * 3);
    }
    for (let x = 0; x < width; x++) {
      const c = (x + n) * 3;
      let b1 = row[c]! * g[n]!; // Σ g g f
      let b2 = 0; // Σ x g g f
      let b3 = row[c + 1]! * g[n]!; // Σ y g g f
      let b4 = 0; // Σ x² g g f
      let b5 = row[c + 2]! * g[n]!; // Σ y² g g f
      let b6 = 0; // Σ x y g g f
      for (let k = 1; k <= n; k++) {
        const r = c + k * 3;
        const l = c - k * 3;
        const sum0 = row[r]! + row[l]!;
        const diff0 = row[r]! - row[l]!;
        b1 += g[n + k]! * sum0;
        b2 += xg[n + k]! * diff0;
        b4 += xxg[n + k]! * sum0;
        b3 += g[n + k]! * (row[r + 1]! + row[l + 1]!);
        b6 += xg[n + k]! * (row[r + 1]! - row[l + 1]!);
        b5 += g[n + k]! * (row[r + 2]! + row[l + 2]!);
      }
      const o = (y * width + x) * POLY_CHANNELS;
      dst[o + POLY.bx] = b2 * ig11;
      dst[o + POLY.by] = b3 * ig11;
      dst[o + POLY.axx] = b1 * ig03 + b4 * ig33;
      dst[o + POLY.ayy] = b1 * ig03 + b5 * ig33;
      dst[o + POLY.axy] = b6 * ig55;
    }
  }
  return out;
}
