import { floatImage, type FloatImage } from './float-image.js';

/** OpenCV's sigma for a kernel size when none is given (getGaussianKernel). */
function defaultSigma(size: number): number {
  return 0.3 * ((size - 1) * 0.5 - 1) + 0.8;
}

/** A normalised 1-D Gaussian of odd `size` taps; `sigma ≤ 0` takes OpenCV's default for that size. */
export function gaussianKernel(size: number, sigma: number): Float32Array {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) throw new Error(`gaussianKernel: size must be odd and ≥ 1, got ${size}`);
  const s = sigma > 0 ? sigma : defaultSigma(size);
  const half = (size - 1) / 2;
  const kernel = Float32Array.from({ length: size }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * s * s)));
  const sum = kernel.reduce((a, b) => a + b, 0);
  return kernel.map((v) => v / sum);
}

/** Index of `i` reflected into 0..n−1 without repeating the edge (OpenCV's BORDER_REFLECT_101). */
function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  let j = i;
  while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
  return j;
}

/** Separable Gaussian blur of a one-channel image, mirrored borders as OpenCV's GaussianBlur. */
export function gaussianBlur(image: FloatImage, size: number, sigma: number): FloatImage {
  if (image.channels !== 1) throw new Error(`gaussianBlur: expects one channel, got ${image.channels}`);
  const { width, height, data } = image;
  const kernel = gaussianKernel(size, sigma);
  const half = (size - 1) / 2;
  const rows = floatImage(width, height, 1).data;
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < size; k++) {
      const src = reflect101(y + k - half, height) * width;
      const w = kernel[k]!;
      const dst = y * width;
      for (let x = 0; x < width; x++) rows[dst + x]! += w * data[src + x]!;
    }
  }
  const out = floatImage(width, height, 1);
  const xs = Int32Array.from({ length: width + size - 1 }, (_, i) => reflect101(i - half, width));
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < size; k++) sum += kernel[k]! * rows[row + xs[x + k]!]!;
      out.data[row + x] = sum;
    }
  }
  return out;
}
