import { describe, expect, it } from 'vitest';
import { Rng } from '../../../engine/random.js';
import { copyAugmented, drawTubeAugments, TUBE_AUGMENT_DEFAULTS } from './tube-augment.js';

const S = 8;
const C = 2;
const FRAMES = 3;
/** Channel 0 says where a pixel is (y·8 + x), channel 1 which frame (200 + t). */
function tube(): Uint8Array {
  const bytes = new Uint8Array(FRAMES * S * S * C);
  for (let t = 0; t < FRAMES; t++) for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) bytes.set([y * S + x, 200 + t], ((t * S + y) * S + x) * C);
  return bytes;
}
const at = (out: Float32Array, t: number, x: number, y: number, c: number): number => out[((t * S + y) * S + x) * C + c]!;

describe('tube augmentation', () => {
  it('shifts every frame alike (edges repeat), mirrors after the shift, scales brightness and clips at white', () => {
    const out = new Float32Array(FRAMES * S * S * C + 5);
    copyAugmented(tube(), out, 5, S, C, { mirror: false, dx: 2, dy: -1, gain: 1 });
    const shifted = out.subarray(5);
    for (let t = 0; t < FRAMES; t++) {
      // Output (0, 0) reads source (2, 0): y − 1 clamps to row 0.
      expect(at(shifted, t, 0, 0, 0) * 255).toBeCloseTo(2, 4);
      expect(at(shifted, t, 3, 4, 0) * 255).toBeCloseTo(3 * S + 5, 4);
      // x + 2 past the right edge repeats column 7.
      expect(at(shifted, t, 7, 4, 0) * 255).toBeCloseTo(3 * S + 7, 4);
      expect(at(shifted, t, 3, 4, 1) * 255).toBeCloseTo(200 + t, 4);
    }
    const mirrored = new Float32Array(FRAMES * S * S * C);
    copyAugmented(tube(), mirrored, 0, S, C, { mirror: true, dx: 1, dy: 0, gain: 1 });
    // Output x reads source column 7 − clamp(x + 1).
    expect(at(mirrored, 1, 0, 2, 0) * 255).toBeCloseTo(2 * S + 6, 4);
    expect(at(mirrored, 1, 7, 2, 0) * 255).toBeCloseTo(2 * S + 0, 4);
    const brighter = new Float32Array(FRAMES * S * S * C);
    copyAugmented(tube(), brighter, 0, S, C, { mirror: false, dx: 0, dy: 0, gain: 1.3 });
    expect(at(brighter, 0, 5, 1, 0)).toBeCloseTo((13 * 1.3) / 255, 5);
    expect(at(brighter, 2, 5, 1, 1)).toBe(1);
  });

  it('draws shifts within an eighth of the tube, gains in 0.8–1.2 and mirrors half the tubes, the same for a seed', () => {
    const draws = drawTubeAugments(new Rng(5), 2000, 64);
    expect(Math.max(...draws.map((a) => Math.max(Math.abs(a.dx), Math.abs(a.dy))))).toBe(8);
    expect(new Set(draws.map((a) => a.dx)).size).toBe(17);
    expect(draws.every((a) => a.gain >= 0.8 && a.gain <= 1.2)).toBe(true);
    expect(draws.filter((a) => a.mirror).length / 2000).toBeCloseTo(0.5, 1);
    expect(drawTubeAugments(new Rng(5), 2000, 64)).toEqual(draws);
    const none = drawTubeAugments(new Rng(5), 10, 64, { ...TUBE_AUGMENT_DEFAULTS, mirror: 0, shift: 0, gain: [1, 1] });
    expect(none.every((a) => !a.mirror && a.dx === 0 && a.dy === 0 && a.gain === 1)).toBe(true);
  });
});
