import { describe, expect, it } from 'vitest';
import type { ClipSpec } from '../clips/clip-spec.js';
import { temporalGradientView } from './temporal-gradient-view.js';

/** A 3-frame 2×2 clip whose frames are given as 12 bytes each (4 pixels × rgb). */
function clipOf(...frames: number[][]): Uint8Array {
  return Uint8Array.from(frames.flat());
}

describe('temporalGradientView', () => {
  const spec: ClipSpec = { frames: 3, size: 2, fps: null };
  const f0 = [0, 255, 100, 10, 20, 30, 200, 200, 200, 50, 60, 70];
  const f1 = [255, 0, 100, 10, 21, 29, 0, 100, 200, 50, 60, 70];
  const f2 = [255, 0, 101, 12, 21, 29, 0, 100, 200, 40, 80, 70];

  it('holds floor((previous − current + 255) / 2) per channel, frame 0 repeating frame 1', () => {
    const view = temporalGradientView(clipOf(f0, f1, f2), spec);
    const g01 = [0, 255, 127, 127, 127, 128, 227, 177, 127, 127, 127, 127];
    const g12 = [127, 127, 127, 126, 127, 127, 127, 127, 127, 132, 117, 127];
    expect(Array.from(view)).toEqual([...g01, ...g01, ...g12]);
  });

  it('is 127 (no change) everywhere on a static clip and for a single frame', () => {
    expect(new Set(temporalGradientView(clipOf(f0, f0, f0), spec))).toEqual(new Set([127]));
    expect(Array.from(temporalGradientView(clipOf(f1), { ...spec, frames: 1 }))).toEqual(new Array(12).fill(127));
  });

  it('rejects a clip of the wrong length with the sizes in the message', () => {
    expect(() => temporalGradientView(new Uint8Array(35), spec)).toThrow(
      'temporalGradientView: the clip has 35 bytes, the spec 3×2×2×3 needs 36',
    );
    expect(() => temporalGradientView(new Uint8Array(0), { ...spec, frames: 0 })).toThrow('frames must be ≥ 1');
  });
});
