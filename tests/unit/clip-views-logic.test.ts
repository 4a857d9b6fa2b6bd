/** The clip views panel's pure logic: a view's frame as canvas pixels, the pace it plays at, base64 bytes. */
import { describe, expect, it } from 'vitest';
import { decodeBase64Bytes } from '../../src-main/shared/clip-views.js';
import { frameDelayMs, frameRgba } from '../../src-renderer/features/review/view-frames.js';

describe('frameRgba', () => {
  it('takes one frame of T×H×W×3 bytes and makes it opaque RGBA', () => {
    // 2 frames of 2×1 pixels.
    const pixels = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(frameRgba(pixels, 2, 1, 0))).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    expect(Array.from(frameRgba(pixels, 2, 1, 1))).toEqual([7, 8, 9, 255, 10, 11, 12, 255]);
  });

  it('refuses a frame the view does not have', () => {
    const pixels = new Uint8Array(12);
    expect(() => frameRgba(pixels, 2, 1, 2)).toThrow('Frame 2 is outside a view of 2 frames.');
    expect(() => frameRgba(pixels, 2, 1, -1)).toThrow('Frame -1 is outside a view of 2 frames.');
  });
});

describe('frameDelayMs', () => {
  it('plays at the clip’s own pace within readable bounds', () => {
    expect(frameDelayMs(2, 8)).toBe(250);
    expect(frameDelayMs(0.2, 8)).toBe(83);
    expect(frameDelayMs(60, 8)).toBe(500);
    expect(frameDelayMs(0, 8)).toBe(250);
  });
});

describe('decodeBase64Bytes', () => {
  it('reads what Node’s base64 wrote', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256);
    expect(decodeBase64Bytes(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
  });
});
