/**
 * Scoring's forward pass in ONNX Runtime: the run's saved model is converted as `vssl model export --format
 * onnx` converts it (anomaly-onnx.ts) and run on all cores with ONNX Runtime's native CPU kernels (AVX2,
 * AVX-512), which the wasm backend cannot use. Its per-region scores are the TF.js ones up to float noise
 * (anomaly-onnx.test.ts and onnx-region-forward.test.ts check it).
 */
import os from 'node:os';
import type * as tf from '@tensorflow/tfjs';
import type * as OnnxRuntime from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import { anomalyOnnx, ANOMALY_ONNX_INPUT, ANOMALY_ONNX_OUTPUTS } from '../../../main/export/anomaly-onnx.js';
import { readKerasModel } from '../../../../engine/onnx/keras-model-files.js';
import type { RegionScores } from '../../model/anomaly-region-scores.js';
import type { MiddleFrameSamples } from '../../tasks/task-samples.js';
import type { RegionForward } from './region-forward.js';
import type { HostTubes } from '../../regions/host-tube-crop.js';

type Ort = typeof OnnxRuntime;

/** A forward pass, or why ONNX Runtime cannot give one here (scoring then stays on TensorFlow.js). */
export type OnnxForwardResult = { forward: RegionForward } | { unavailable: string };

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Interleaves the model's 6 input frames [N, 6, S, S, C] and the middle frame [N, S, S, C] back into the
 * tubes the ONNX graph takes [N, 7, S, S, C] (frames 0, 1, 2, middle, 3, 4, 5).
 */
export function tubesOf(input: Float32Array, middle: Float32Array, regions: number): Float32Array {
  const frame = middle.length / Math.max(1, regions);
  if (!Number.isInteger(frame) || input.length !== regions * 6 * frame) throw new Error(`region tubes: ${input.length} input and ${middle.length} middle-frame values for ${regions} regions`);
  const tubes = new Float32Array(regions * 7 * frame);
  for (let n = 0; n < regions; n++) {
    const at = n * 7 * frame;
    const from = n * 6 * frame;
    tubes.set(input.subarray(from, from + 3 * frame), at);
    tubes.set(middle.subarray(n * frame, (n + 1) * frame), at + 3 * frame);
    tubes.set(input.subarray(from + 3 * frame, from + 6 * frame), at + 4 * frame);
  }
  return tubes;
}

/** Per-row mean |a − b| of two [N, D] arrays. */
function rowMeanAbs(a: Float32Array, b: Float32Array, regions: number): Float32Array {
  const dim = a.length / regions;
  const out = new Float32Array(regions);
  for (let n = 0; n < regions; n++) {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += Math.abs((a[n * dim + d] ?? 0) - (b[n * dim + d] ?? 0));
    out[n] = sum / dim;
  }
  return out;
}

function floats(outputs: InferenceSession.OnnxValueMapType, name: string): Float32Array {
  const value = outputs[name];
  if (value === undefined || value.type !== 'float32') throw new Error(`the anomaly ONNX graph gave no float output ${name}`);
  return value.data as Float32Array;
}

class OnnxRegionForward implements RegionForward {
  readonly engine = 'onnxruntime';

  constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly hasTeacher: boolean,
  ) {}

  async scores(batch: MiddleFrameSamples, teacherFeatures: tf.Tensor2D | null): Promise<RegionScores> {
    const [regions, , size = 0, , channels = 0] = batch.input.shape;
    const [input, middle] = await Promise.all([batch.input.data<'float32'>(), batch.target.data<'float32'>()]);
    return this.hostScores({ data: tubesOf(input, middle, regions), regions, frames: 7, size, channels }, teacherFeatures);
  }

  async hostScores(tubes: HostTubes, teacherFeatures: tf.Tensor2D | null): Promise<RegionScores> {
    const { regions, frames, size, channels } = tubes;
    const names = ANOMALY_ONNX_OUTPUTS;
    const withTeacher = teacherFeatures !== null && this.hasTeacher;
    // Every output: onnxruntime-node 1.23 names a subset of fetched outputs after the graph's first outputs.
    const outputs = await this.session.run({ [ANOMALY_ONNX_INPUT]: new this.ort.Tensor('float32', tubes.data, [regions, frames, size, size, channels]) });
    return {
      middleFrameError: floats(outputs, names.middleFrameError),
      backward: floats(outputs, names.backward),
      irregular: floats(outputs, names.irregular),
      teacherGap: withTeacher ? rowMeanAbs(floats(outputs, names.teacherFeatures), await teacherFeatures.data<'float32'>(), regions) : null,
    };
  }

  dispose(): Promise<void> {
    return this.session.release();
  }
}

/**
 * The saved model in `modelDir` as an ONNX Runtime forward pass on `threads` intra-op threads (default: every
 * core); `unavailable` with the reason when ONNX Runtime does not load here or the model does not convert.
 */
export async function onnxRegionForward(modelDir: string, threads: number = os.availableParallelism()): Promise<OnnxForwardResult> {
  let ort: Ort;
  try {
    ort = await import('onnxruntime-node');
  } catch (error) {
    return { unavailable: `ONNX Runtime does not load here (${describe(error)})` };
  }
  try {
    const onnx = anomalyOnnx(await readKerasModel(modelDir), { producerVersion: 'scoring', docString: '', metadata: {} });
    const session = await ort.InferenceSession.create(onnx.bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return { forward: new OnnxRegionForward(ort, session, onnx.teacherDim > 0) };
  } catch (error) {
    return { unavailable: `the model did not load in ONNX Runtime (${describe(error)})` };
  }
}
