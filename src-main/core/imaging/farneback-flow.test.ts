import { describe, expect, it } from 'vitest';
import { farnebackFlow, farnebackFlowSequence } from './farneback-flow.js';
import { floatImage, type FloatImage } from './float-image.js';
import { shiftedTexture } from './synthetic-motion.fixture.js';

const SIZE = 64;
/** Away from the edges, where the expansions see only replicated pixels. */
const MARGIN = 12;

/** Largest distance between the flow and (dx, dy) over the interior. */
function worstError(flow: FloatImage, dx: number, dy: number): number {
  let worst = 0;
  for (let y = MARGIN; y < SIZE - MARGIN; y++) {
    for (let x = MARGIN; x < SIZE - MARGIN; x++) {
      const p = (y * SIZE + x) * 2;
      worst = Math.max(worst, Math.hypot(flow.data[p]! - dx, flow.data[p + 1]! - dy));
    }
  }
  return worst;
}

describe('farnebackFlow', () => {
  it('recovers a whole-pixel translation of a smooth texture', () => {
    const flow = farnebackFlow(shiftedTexture(SIZE, 0, 0), shiftedTexture(SIZE, 2, -1));
    expect(flow.channels).toBe(2);
    expect(worstError(flow, 2, -1)).toBeLessThan(0.05);
  });

  it('recovers a sub-pixel translation and a larger one that needs the pyramid', () => {
    expect(worstError(farnebackFlow(shiftedTexture(SIZE, 0, 0), shiftedTexture(SIZE, 0.4, 0.3)), 0.4, 0.3)).toBeLessThan(0.1);
    expect(worstError(farnebackFlow(shiftedTexture(SIZE, 0, 0), shiftedTexture(SIZE, 5, 4)), 5, 4)).toBeLessThan(0.1);
  });

  it('finds no motion between identical frames', () => {
    const still = shiftedTexture(SIZE, 0, 0);
    const flow = farnebackFlow(still, still);
    expect(Math.max(...flow.data.map(Math.abs))).toBeLessThan(1e-4);
  });

  it('gives one flow per consecutive pair, each pair on its own', () => {
    const frames = [shiftedTexture(SIZE, 0, 0), shiftedTexture(SIZE, 1, 0), shiftedTexture(SIZE, 1, 2)];
    const flows = farnebackFlowSequence(frames);
    expect(flows).toHaveLength(2);
    expect(worstError(flows[0]!, 1, 0)).toBeLessThan(0.05);
    expect(worstError(flows[1]!, 0, 2)).toBeLessThan(0.05);
  });

  it('rejects mismatched frames and bad settings with what is wrong', () => {
    const a = floatImage(16, 16, 1);
    expect(() => farnebackFlowSequence([])).toThrow('Farnebäck flow: no frames');
    expect(() => farnebackFlow(a, floatImage(16, 8, 1))).toThrow('frame 1 is 16×8, frame 0 is 16×16');
    expect(() => farnebackFlow(a, floatImage(16, 16, 3))).toThrow('frame 1 has 3 channels, expected 1 (grey)');
    expect(() => farnebackFlow(a, a, { winSize: 8 })).toThrow('winSize must be odd and ≥ 1, got 8');
    expect(() => farnebackFlow(a, a, { pyrScale: 1 })).toThrow('pyrScale must be in (0, 1), got 1');
  });
});
