import { floatImage, type FloatImage } from './float-image.js';
import { POLY, POLY_CHANNELS } from './polynomial-expansion.js';

/** Channels of the per-pixel normal equations G·d = h: G = [[gxx, gxy], [gxy, gyy]], h = [hx, hy]. */
const M = { gxx: 0, gxy: 1, gyy: 2, hx: 3, hy: 4 } as const;
export const MATRIX_CHANNELS = 5;

/** Within this many pixels of the edge the expansions are unreliable: OpenCV's down-weighting. */
const BORDER_WEIGHTS = [0.14, 0.14, 0.4472, 0.4472, 0.4472];
const BORDER = BORDER_WEIGHTS.length;

function edgeWeight(i: number, n: number): number {
  return (i < BORDER ? BORDER_WEIGHTS[i]! : 1) * (i >= n - BORDER ? BORDER_WEIGHTS[n - 1 - i]! : 1);
}

/**
 * Farnebäck's per-pixel equations for refining `flow` (2 channels: dx, dy) between the
 * expansions `r0` (first frame) and `r1` (second frame): with A the mean of A0(x) and A1(x + d̃)
 * and Δb = ½(b0(x) − b1(x + d̃)) + A·d̃, the displacement satisfies A·d = Δb; stored as AᵀA, AᵀΔb
 * so a window average gives the least-squares solution. Where x + d̃ leaves the image, only the
 * first frame's A is used (as OpenCV does).
 */
export function updateMatrices(r0: FloatImage, r1: FloatImage, flow: FloatImage, out?: FloatImage): FloatImage {
  const { width, height } = r0;
  const m = out ?? floatImage(width, height, MATRIX_CHANNELS);
  const a = r0.data;
  const b = r1.data;
  const f = flow.data;
  const md = m.data;
  const stride = width * POLY_CHANNELS;
  for (let y = 0; y < height; y++) {
    const wy = edgeWeight(y, height);
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const o0 = p * POLY_CHANNELS;
      const dx = f[p * 2]!;
      const dy = f[p * 2 + 1]!;
      const fx = x + dx;
      const fy = y + dy;
      let bx: number, by: number, axx: number, ayy: number, axy: number;
      // Inside up to the last row and column inclusive: OpenCV stops one short, which makes a
      // still image's edge pixels look "outside" at zero flow and report motion there.
      if (fx >= 0 && fx <= width - 1 && fy >= 0 && fy <= height - 1) {
        const x1 = Math.min(Math.floor(fx), width - 2);
        const y1 = Math.min(Math.floor(fy), height - 2);
        const tx = fx - x1;
        const ty = fy - y1;
        const w00 = (1 - tx) * (1 - ty);
        const w01 = tx * (1 - ty);
        const w10 = (1 - tx) * ty;
        const w11 = tx * ty;
        const q00 = y1 * stride + x1 * POLY_CHANNELS;
        const q01 = q00 + POLY_CHANNELS;
        const q10 = q00 + stride;
        const q11 = q10 + POLY_CHANNELS;
        bx = w00 * b[q00 + POLY.bx]! + w01 * b[q01 + POLY.bx]! + w10 * b[q10 + POLY.bx]! + w11 * b[q11 + POLY.bx]!;
        by = w00 * b[q00 + POLY.by]! + w01 * b[q01 + POLY.by]! + w10 * b[q10 + POLY.by]! + w11 * b[q11 + POLY.by]!;
        const bxx = w00 * b[q00 + POLY.axx]! + w01 * b[q01 + POLY.axx]! + w10 * b[q10 + POLY.axx]! + w11 * b[q11 + POLY.axx]!;
        const byy = w00 * b[q00 + POLY.ayy]! + w01 * b[q01 + POLY.ayy]! + w10 * b[q10 + POLY.ayy]! + w11 * b[q11 + POLY.ayy]!;
        const bxy = w00 * b[q00 + POLY.axy]! + w01 * b[q01 + POLY.axy]! + w10 * b[q10 + POLY.axy]! + w11 * b[q11 + POLY.axy]!;
        axx = (a[o0 + POLY.axx]! + bxx) * 0.5;
        ayy = (a[o0 + POLY.ayy]! + byy) * 0.5;
        axy = (a[o0 + POLY.axy]! + bxy) * 0.25;
      } else {
        bx = 0;
        by = 0;
        axx = a[o0 + POLY.axx]!;
        ayy = a[o0 + POLY.ayy]!;
        axy = a[o0 + POLY.axy]! * 0.5;
      }
      // axy now holds A's off-diagonal entry (half the xy coefficient).
      let hx = (a[o0 + POLY.bx]! - bx) * 0.5 + axx * dx + axy * dy;
      let hy = (a[o0 + POLY.by]! - by) * 0.5 + axy * dx + ayy * dy;
      const scale = wy * edgeWeight(x, width);
      if (scale !== 1) {
        hx *= scale;
        hy *= scale;
        axx *= scale;
        ayy *= scale;
        axy *= scale;
      }
      const o = p * MATRIX_CHANNELS;
      md[o + M.gxx] = axx * axx + axy * axy;
      md[o + M.gxy] = (axx + ayy) * axy;
      md[o + M.gyy] = ayy * ayy + axy * axy;
      md[o + M.hx] = axx * hx + axy * hy;
      md[o + M.hy] = axy * hx + ayy * hy;
    }
  }
  return m;
}

/** Solves the (window-averaged) equations for every pixel's displacement, into `flow`. */
export function solveFlow(m: FloatImage, flow: FloatImage): void {
  const md = m.data;
  const f = flow.data;
  const pixels = m.width * m.height;
  for (let p = 0; p < pixels; p++) {
    const o = p * MATRIX_CHANNELS;
    const gxx = md[o + M.gxx]!;
    const gxy = md[o + M.gxy]!;
    const gyy = md[o + M.gyy]!;
    const hx = md[o + M.hx]!;
    const hy = md[o + M.hy]!;
    // The 1e-3 keeps flat regions (det ≈ 0) at zero motion, as in OpenCV.
    const idet = 1 / (gxx * gyy - gxy * gxy + 1e-3);
    f[p * 2] = (gyy * hx - gxy * hy) * idet;
    f[p * 2 + 1] = (gxx * hy - gxy * hx) * idet;
  }
}
