import { describe, expect, it } from 'vitest';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { decodeDisplacement } from '../../views/flow-encoding.js';
import { flowView } from '../../views/flow-view.js';
import { translatingClip } from '../../../imaging/synthetic-motion.fixture.js';
import { MULTI_VIEW_COUNT, mirroredFlow, splitViews } from './multi-view.js';

const spec: ClipSpec = { frames: 4, size: 32, fps: null };

/** Each frame of a T·S·S·3 clip mirrored left–right. */
function mirrored(clip: Uint8Array): Uint8Array {
  const { frames, size } = spec;
  const out = new Uint8Array(clip.length);
  for (let t = 0; t < frames; t++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = ((t * size + y) * size + x) * 3;
        const to = ((t * size + y) * size + (size - 1 - x)) * 3;
        out.set(clip.subarray(from, from + 3), to);
      }
    }
  }
  return out;
}

describe('multi-view clips', () => {
  it('split back into their views without copying', () => {
    const bytes = Uint8Array.from({ length: 3 * 6 }, (_, i) => i);
    const views = splitViews(bytes);
    expect(views).toHaveLength(MULTI_VIEW_COUNT);
    expect(Array.from(views[1] ?? [])).toEqual([6, 7, 8, 9, 10, 11]);
    expect(views[2]?.buffer).toBe(bytes.buffer);
    expect(() => splitViews(new Uint8Array(7))).toThrow(/cannot hold 3 views/);
  });

  it('mirror a flow view the way the flow of the mirrored clip comes out', () => {
    // Texture moving 2 px right and 1 px down per frame; in a mirror it moves 2 px left.
    const clip = translatingClip(spec, 2, 1);
    const flowOfMirror = flowView(mirrored(clip), spec);
    const mirroredFlowView = mirrored(mirroredFlow(flowView(clip, spec)));
    const { size } = spec;
    let worst = 0;
    for (let t = 1; t < spec.frames; t++) {
      for (let y = 8; y < size - 8; y++) {
        for (let x = 8; x < size - 8; x++) {
          const at = ((t * size + y) * size + x) * 3;
          for (const channel of [0, 1]) {
            const got = decodeDisplacement(mirroredFlowView[at + channel] ?? 0);
            const want = decodeDisplacement(flowOfMirror[at + channel] ?? 0);
            worst = Math.max(worst, Math.abs(got - want));
          }
        }
      }
    }
    expect(worst).toBeLessThan(0.15);
    const centre = ((2 * size + size / 2) * size + size / 2) * 3;
    expect(decodeDisplacement(mirroredFlowView[centre] ?? 0)).toBeCloseTo(-2, 1);
    expect(decodeDisplacement(mirroredFlowView[centre + 1] ?? 0)).toBeCloseTo(1, 1);
  });
});
