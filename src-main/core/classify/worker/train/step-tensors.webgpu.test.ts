/**
 * A step's augmented tensors (weak and strong augmentation, double speed, MvPL's views, pretraining's
 * clips) on webgpu and on the cpu backend from the same bytes and the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onBothBackends, onWebGpuWithoutLeaks, relativeError } from '../../../../../tests/fixtures/webgpu.js';
import { trainSettingsSchema, type TrainingMethod } from '../../../../shared/training.js';
import { Rng } from '../../../engine/random.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { MULTI_VIEW_COUNT } from './multi-view.js';
import { stepTensors, type StepBytes, type TrainingStage } from './step-tensors.js';

const SPEC: ClipSpec = { frames: 4, size: 16, fps: null };
const CLIP_BYTES = SPEC.frames * SPEC.size * SPEC.size * 3;

/** Clips of smooth gradients and a moving edge, so every augmentation has something to change. */
function clipBytes(n: number, views: number, seed: number): Uint8Array[] {
  return Array.from({ length: n }, (_, clip) =>
    Uint8Array.from({ length: CLIP_BYTES * views }, (_, i) => {
      const pixel = Math.floor((i % CLIP_BYTES) / 3);
      const x = pixel % SPEC.size;
      const y = Math.floor(pixel / SPEC.size) % SPEC.size;
      const t = Math.floor(pixel / (SPEC.size * SPEC.size));
      const edge = x > 4 + 2 * t + clip ? 120 : 0;
      return Math.round(60 + 8 * y + edge + 40 * Math.sin(seed + clip + (i % 3) + Math.floor(i / CLIP_BYTES))) & 255;
    }),
  );
}

interface Outcome {
  parts: number[][];
}

async function tensorsOf(method: TrainingMethod, stage: TrainingStage): Promise<Outcome> {
  const settings = trainSettingsSchema.parse({ method, frames: SPEC.frames, size: SPEC.size, flip: true });
  const views = method === 'mvpl' ? MULTI_VIEW_COUNT : 1;
  const bytes: StepBytes = { labelled: clipBytes(2, views, 1), labels: [0, 1], unlabelled: clipBytes(3, views, 2) };
  const made = stepTensors(bytes, SPEC, settings, new Rng(17), stage);
  try {
    const tensors = [made.labelled.x, made.weak, made.strong, made.aux].filter((t): t is tf.Tensor5D => t !== null);
    const parts: number[][] = [];
    for (const t of tensors) parts.push(Array.from(await t.data()));
    return { parts };
  } finally {
    tf.dispose(made.owned);
  }
}

const cases: [TrainingMethod, TrainingStage, number][] = [
  ['fixmatch', 'train', 3],
  ['tcl', 'train', 3],
  ['mvpl', 'train', 3],
  // SVT pretraining (the default): the student's global and local views, one tensor.
  ['mvpl', 'pretrain', 1],
];

describe('step tensors on webgpu', () => {
  onWebGpuWithoutLeaks();

  it.each(cases)('%s (%s): every augmented view matches the cpu backend', async (method, stage, count) => {
    const { webgpu, cpu } = await onBothBackends(() => tensorsOf(method, stage));
    expect(cpu.parts).toHaveLength(count);
    expect(webgpu.parts).toHaveLength(count);
    cpu.parts.forEach((part, i) => expect(relativeError(webgpu.parts[i] ?? [], part)).toBeLessThan(1e-3));
  });
});
