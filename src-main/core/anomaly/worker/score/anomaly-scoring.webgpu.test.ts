import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onBothBackends, onWebGpuWithoutLeaks, relativeError } from '../../../../../tests/fixtures/webgpu.js';
import { Rng } from '../../../engine/random.js';
import type { AnomalyModelSpec } from '../model/anomaly-model-spec.js';
import { regionScores } from '../model/anomaly-region-scores.js';
import { initialWeights, modelWithWeights } from '../model/fixed-weights.fixture.js';
import { movingSquareTubes } from '../model/test-tubes.fixture.js';
import { ANOMALY_TASKS } from './frame-scores.js';
import { RegionScoreLog } from './region-score-log.js';
import { TubeBatcher } from './tube-batcher.js';
import { WindowFrameTensors, type IndexedFrame } from './window-frame-tensors.js';

const spec: AnomalyModelSpec = { size: 16, channels: 3, width: 4, depth: 2, teacherDim: 3 };
const TASKS = [ANOMALY_TASKS.middleFrameError, ANOMALY_TASKS.backward, ANOMALY_TASKS.irregular];

/** Seven 48×32 rgb24 frames of a drifting gradient: the same bytes on every backend. */
function frames(): IndexedFrame[] {
  const width = 48;
  const height = 32;
  return Array.from({ length: 7 }, (_, index) => ({
    index,
    rgb: Uint8Array.from({ length: width * height * 3 }, (_, i) => (Math.floor(i / 3) * 7 + index * 11 + (i % 3) * 60) % 256),
  }));
}

describe('anomaly scoring on webgpu', () => {
  onWebGpuWithoutLeaks();

  it('gives the cpu backend’s region scores (middle frame, arrow of time, irregularity, teacher gap), whole and in chunks', async () => {
    const weights = await initialWeights(spec, 6);
    const { webgpu, cpu } = await onBothBackends(async () => {
      const model = modelWithWeights(spec, weights);
      const tubes = movingSquareTubes(new Rng(8), { tubes: 5, frames: 7, size: spec.size, channels: spec.channels });
      const teacherFeatures = tf.tensor2d(Float32Array.from({ length: 15 }, (_, i) => i / 15), [5, 3]);
      try {
        const whole = await regionScores(model, tubes, { teacherFeatures });
        const chunked = await regionScores(model, tubes, { teacherFeatures, batchSize: 2 });
        return [whole, chunked].flatMap((s) => [...s.middleFrameError, ...s.backward, ...s.irregular, ...(s.teacherGap ?? [])]);
      } finally {
        tf.dispose([tubes, teacherFeatures]);
        model.dispose();
      }
    });
    expect(webgpu).toHaveLength(40);
    expect(relativeError(webgpu, cpu)).toBeLessThan(1e-3);
  });

  it('crops a window’s regions from the frames and scores them in batches as the cpu backend does', async () => {
    const weights = await initialWeights({ ...spec, teacherDim: 0 }, 7);
    const window = frames();
    // Clear of the frame's last row and column: there the cpu reference samples at 31.000000000000004 in
    // double precision and blanks the row as outside the image, where webgpu's f32 lands on 31.
    const boxes = [
      { x: 1, y: 1, width: 30, height: 30 },
      { x: 10, y: 4, width: 20, height: 20 },
      { x: 28, y: 8, width: 18, height: 22 },
    ];
    const { webgpu, cpu } = await onBothBackends(async () => {
      const model = modelWithWeights({ ...spec, teacherDim: 0 }, weights);
      const held = new WindowFrameTensors(48, 32);
      const log = new RegionScoreLog(TASKS);
      const batcher = new TubeBatcher(model, log, 4);
      try {
        const crops = held.cropSamples(window, boxes, spec.size, spec.channels);
        const cropValues = [...(await crops.input.data()), ...(await crops.target.data())];
        await batcher.add(crops, 3, boxes);
        await batcher.add(held.cropSamples(window, boxes, spec.size, spec.channels), 4, boxes);
        await batcher.flush();
        const { scores } = log.toRegionTaskScores();
        return { crops: cropValues, scores: TASKS.flatMap((task) => [...(scores[task] ?? [])]) };
      } finally {
        batcher.dispose();
        held.dispose();
        model.dispose();
      }
    });
    expect(webgpu.scores).toHaveLength(18);
    expect(relativeError(webgpu.crops, cpu.crops)).toBeLessThan(1e-3);
    expect(relativeError(webgpu.scores, cpu.scores)).toBeLessThan(1e-3);
  });
});
