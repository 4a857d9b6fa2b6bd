import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onBothBackends, onWebGpuWithoutLeaks, relativeError } from '../../../../../tests/fixtures/webgpu.js';
import { loadImageTeacher } from '../../../teacher/worker/image-teacher.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { saveSmallTeacher } from './teacher-image-model.fixture.js';
import { stepTeacherTargets } from './teacher-targets.js';

const SPEC: ClipSpec = { frames: 4, size: 16, fps: null };

function clip(seed: number): Uint8Array {
  return Uint8Array.from({ length: SPEC.frames * SPEC.size * SPEC.size * 3 }, (_, i) => Math.round(127 + 120 * Math.sin(seed * 3.1 + i * 0.07 + (i % 3))));
}

let dir = '';
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-webgpu-teacher-'));
  await saveSmallTeacher(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('VideoSSL teacher targets on webgpu', () => {
  onWebGpuWithoutLeaks();

  it('are the cpu backend’s probabilities, read without a synchronous read', async () => {
    const bytes = { labelled: [clip(1), clip(2)], labels: [0, 1], unlabelled: [clip(3), clip(4), clip(5)] };
    const { webgpu, cpu } = await onBothBackends(async () => {
      const teacher = await loadImageTeacher(dir);
      try {
        const targets = await stepTeacherTargets(teacher, bytes, SPEC);
        return [...targets.labelled, ...targets.unlabelled].flatMap((row) => Array.from(row));
      } finally {
        teacher.model.dispose();
      }
    });
    expect(cpu).toHaveLength(5 * 3);
    expect(relativeError(webgpu, cpu)).toBeLessThan(1e-3);
  });
});
