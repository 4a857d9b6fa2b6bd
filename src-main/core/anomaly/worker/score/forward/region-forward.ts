/**
 * The forward pass scoring runs on each batch of regions: the model in TensorFlow.js, or its ONNX export in
 * ONNX Runtime (onnx-region-forward.ts). Both give the same per-region scores; the batcher does not know which.
 */
import type * as tf from '@tensorflow/tfjs';
import { sampleScores, type RegionScores } from '../../model/anomaly-region-scores.js';
import type { MiddleFrameSamples } from '../../tasks/task-samples.js';
import type { HostTubes } from '../../regions/host-tube-crop.js';

export type RegionForwardEngine = 'tfjs' | 'onnxruntime';

export interface RegionForward {
  readonly engine: RegionForwardEngine;
  /** Scores of each region of `batch` (not disposed here); `teacherFeatures` [N, teacherDim] when the model distils a teacher. */
  scores(batch: MiddleFrameSamples, teacherFeatures: tf.Tensor2D | null): Promise<RegionScores>;
  /**
   * The same from tubes in host memory [N, 7, S, S, C], where the engine takes host arrays (ONNX Runtime):
   * the scorer then cuts tubes in JavaScript and never puts frames on the backend.
   */
  hostScores?(tubes: HostTubes, teacherFeatures: tf.Tensor2D | null): Promise<RegionScores>;
  dispose(): Promise<void>;
}

/** The model's own forward pass on the active TensorFlow.js backend. */
export function tfjsRegionForward(model: tf.LayersModel): RegionForward {
  return {
    engine: 'tfjs',
    scores: (batch, teacherFeatures) => sampleScores(model, batch, { batchSize: batch.input.shape[0], teacherFeatures }),
    dispose: () => Promise.resolve(),
  };
}
