import { describe, expect, it } from 'vitest';
import { onBothBackends, onWebGpuWithoutLeaks, relativeError } from '../../../../../tests/fixtures/webgpu.js';
import { trainSettingsSchema } from '../../../../shared/training.js';
import type { ClipRef } from '../../clips/clip-ref.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import type { LabelledClip } from '../../jobs.js';
import { buildModel } from '../models/build-model.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import type { ClipReader } from './clip-reader.js';
import { evaluate } from './evaluate.js';

const SPEC: ClipSpec = { frames: 4, size: 16, fps: null };
const settings = trainSettingsSchema.parse({ method: 'supervised', frames: SPEC.frames, size: SPEC.size, width: 4, depth: 2 });

function clipRef(clipId: number): ClipRef {
  return { clipId, videoPath: 'formula', videoHash: 'formula', startFrame: clipId * 4, endFrame: clipId * 4 + 4, startSec: 0, endSec: 0, fps: 25 };
}

/** Decoded clips made from a formula, one per clip id: the clip cache's part, in memory. */
const formulaReader: ClipReader = {
  read: (clip) =>
    Promise.resolve(Uint8Array.from({ length: SPEC.frames * SPEC.size * SPEC.size * 3 }, (_, i) => Math.round(127 + 120 * Math.sin(clip.clipId * 1.7 + (i % 3) * 2.1 + i * 0.01)))),
};

describe('evaluation on webgpu', () => {
  onWebGpuWithoutLeaks();

  it('gives the cpu backend’s accuracy and loss, batch by batch', async () => {
    const clips: LabelledClip[] = Array.from({ length: 7 }, (_, i) => ({ clip: clipRef(i + 1), classIndex: i % 3 }));
    const { webgpu, cpu } = await onBothBackends(async () => {
      const model = buildModel(modelSpecFromSettings(settings, 3), { seed: 4 });
      try {
        return await evaluate(model, clips, formulaReader, SPEC, 3);
      } finally {
        model.dispose();
      }
    });
    expect(webgpu?.accuracy).toBe(cpu?.accuracy);
    expect(relativeError([webgpu?.loss ?? NaN], [cpu?.loss ?? NaN])).toBeLessThan(1e-3);
  });
});
