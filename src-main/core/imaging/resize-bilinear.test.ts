import { describe, expect, it } from 'vitest';
import { floatImage } from './float-image.js';
import { resizeBilinear } from './resize-bilinear.js';

describe('resizeBilinear', () => {
  it('halves by averaging 2×2 blocks and doubles a ramp with aligned pixel centres', () => {
    const image = floatImage(4, 2, 1);
    image.data.set([0, 2, 4, 6, 10, 12, 14, 16]);
    expect(Array.from(resizeBilinear(image, 2, 1).data)).toEqual([6, 10]);
    const ramp = floatImage(2, 1, 2);
    ramp.data.set([0, 100, 4, 200]);
    // Centres of 4 outputs fall at source x = −0.25, 0.25, 0.75, 1.25 (edges clamp).
    expect(Array.from(resizeBilinear(ramp, 4, 1).data)).toEqual([0, 100, 1, 125, 3, 175, 4, 200]);
  });
});
