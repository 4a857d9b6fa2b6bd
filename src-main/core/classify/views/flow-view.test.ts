import { describe, expect, it } from 'vitest';
import type { ClipSpec } from '../clips/clip-spec.js';
import { farnebackFlowSequence } from '../../imaging/farneback-flow.js';
import { decodeDisplacement, decodeMagnitude, encodeDisplacement, FLOW_MAX_DISPLACEMENT } from './flow-encoding.js';
import { clipToGreyFrames, flowView } from './flow-view.js';
import { translatingClip } from '../../imaging/synthetic-motion.fixture.js';

const spec: ClipSpec = { frames: 4, size: 64, fps: null };
const frameBytes = spec.size * spec.size * 3;
const STEP = FLOW_MAX_DISPLACEMENT / 128;

describe('flow encoding', () => {
  it('maps no motion to 128, ±max to the ends, and decodes within half a step', () => {
    expect(encodeDisplacement(0)).toBe(128);
    expect(encodeDisplacement(-FLOW_MAX_DISPLACEMENT)).toBe(0);
    expect(encodeDisplacement(FLOW_MAX_DISPLACEMENT)).toBe(255);
    expect(encodeDisplacement(-100)).toBe(0);
    for (const d of [-7.9, -2.03, -0.01, 0.5, 3.3333, 7.9]) {
      expect(Math.abs(decodeDisplacement(encodeDisplacement(d)) - d)).toBeLessThanOrEqual(STEP / 2);
    }
  });
});

describe('flowView', () => {
  it('stores the flow of each consecutive pair as bytes that decode back within the quantisation step', () => {
    const clip = translatingClip(spec, 2, -1);
    const view = flowView(clip, spec);
    expect(view).toHaveLength(clip.length);
    const flows = farnebackFlowSequence(clipToGreyFrames(clip, spec));
    let worstDisplacement = 0;
    let worstMagnitude = 0;
    for (let t = 1; t < spec.frames; t++) {
      const flow = flows[t - 1]!.data;
      for (let p = 0; p < spec.size * spec.size; p++) {
        const at = t * frameBytes + p * 3;
        const [dx, dy] = [flow[p * 2]!, flow[p * 2 + 1]!];
        worstDisplacement = Math.max(
          worstDisplacement,
          Math.abs(decodeDisplacement(view[at]!) - dx),
          Math.abs(decodeDisplacement(view[at + 1]!) - dy),
        );
        worstMagnitude = Math.max(worstMagnitude, Math.abs(decodeMagnitude(view[at + 2]!) - Math.hypot(dx, dy)));
      }
    }
    expect(worstDisplacement).toBeLessThanOrEqual(STEP / 2 + 1e-6);
    expect(worstMagnitude).toBeLessThanOrEqual(FLOW_MAX_DISPLACEMENT / 255 / 2 + 1e-6);
    // In the interior the bytes say (2, −1) px.
    const centre = 2 * frameBytes + (32 * spec.size + 32) * 3;
    expect(Array.from(view.subarray(centre, centre + 3))).toEqual([
      encodeDisplacement(2),
      encodeDisplacement(-1),
      Math.round((Math.hypot(2, 1) * 255) / FLOW_MAX_DISPLACEMENT),
    ]);
    // Frame 0 repeats frame 1.
    expect(Buffer.compare(view.subarray(0, frameBytes), view.subarray(frameBytes, 2 * frameBytes))).toBe(0);
  });

  it('is (128, 128, 0) on a static clip and on a one-frame clip', () => {
    const still = translatingClip(spec, 0, 0);
    const other = (view: Uint8Array) => view.filter((byte, i) => byte !== [128, 128, 0][i % 3]).length;
    const view = flowView(still, spec);
    expect(view).toHaveLength(still.length);
    expect(other(view)).toBe(0);
    const one = flowView(still.subarray(0, frameBytes), { ...spec, frames: 1 });
    expect(one).toHaveLength(frameBytes);
    expect(other(one)).toBe(0);
  });

  it('rejects a clip of the wrong length and a bad scale', () => {
    expect(() => flowView(new Uint8Array(10), spec)).toThrow('flowView: the clip has 10 bytes, the spec 4×64×64×3 needs 49152');
    expect(() => flowView(new Uint8Array(4 * frameBytes), spec, { maxDisplacement: 0 })).toThrow('maxDisplacement must be > 0, got 0');
  });
});
