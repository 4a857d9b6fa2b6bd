import { describe, expect, it } from 'vitest';
import { boxBlur } from './box-blur.js';
import { floatImage } from './float-image.js';

describe('boxBlur', () => {
  it('equals the plain window mean with replicated edges, for every channel', () => {
    const [width, height, c, size] = [7, 5, 2, 3];
    const image = floatImage(width, height, c);
    image.data.forEach((_, i) => (image.data[i] = (i * 37) % 11));
    const out = boxBlur(image, size);
    const clamp = (v: number, n: number) => Math.min(Math.max(v, 0), n - 1);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let ch = 0; ch < c; ch++) {
          let sum = 0;
          for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) sum += image.data[(clamp(y + j, height) * width + clamp(x + i, width)) * c + ch]!;
          expect(out.data[(y * width + x) * c + ch]).toBeCloseTo(sum / 9, 5);
        }
      }
    }
  });

  it('rejects an even window', () => {
    expect(() => boxBlur(floatImage(4, 4, 1), 4)).toThrow('boxBlur: size must be odd and ≥ 1, got 4');
  });
});
