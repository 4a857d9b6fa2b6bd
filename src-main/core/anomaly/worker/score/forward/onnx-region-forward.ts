/**
 * Scoring's forward pass in ONNX Runtime: the run's saved model is converted as `vssl model export --format
 * onnx` converts it (anomaly-onnx.ts) and run on all cores with ONNX Runtime's native CPU kernels (AVX2,
 * AVX-512), which the wasm backend cannot use. Its per-region scores are the TF.js ones up to float noise
 * (anomaly-onnx.test.ts and onnx-region-forward.test.ts check it).
 */
import os from 'node:os';
import type * as tf from '@tensorflow/tfjs';
import { anomalyOnnx, ANOMALY_ONNX_OUTPUTS } from '../../../main/export/anomaly-onnx.js';
import { readKerasModel } from '../../../../engine/onnx/keras-model-files.js';
import type { RegionScores } from '../../model/anomaly-region-scores.js';
import type { MiddleFrameSamples } from '../../tasks/task-samples.js';
import type { RegionForward } from './region-forward.js';
import type { HostTubes } from '../../regions/host-tube-crop.js';
import { inThreadOnnxRunner, threadedOnnxRunner, type OnnxRunner } from './onnx-runner.js';

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

function output(outputs: Record<string, Float32Array>, name: string): Float32Array {
  const value = outputs[name];
  if (value === undefined) throw new Error(`the anomaly ONNX graph gave no float output ${name}`);
  return value;
}

class OnnxRegionForward implements RegionForward {
  readonly engine = 'onnxruntime';

  constructor(
    private readonly runner: OnnxRunner,
    private readonly hasTeacher: boolean,
  ) {}

  /** Where the session runs: on its own thread the scorer cuts the next batch meanwhile. */
  get where(): OnnxRunner['where'] {
    return this.runner.where;
  }

  async scores(batch: MiddleFrameSamples, teacherFeatures: tf.Tensor2D | null): Promise<RegionScores> {
    const [regions, , size = 0, , channels = 0] = batch.input.shape;
    const [input, middle] = await Promise.all([batch.input.data<'float32'>(), batch.target.data<'float32'>()]);
    return this.hostScores({ data: tubesOf(input, middle, regions), regions, frames: 7, size, channels }, teacherFeatures);
  }

  async hostScores(tubes: HostTubes, teacherFeatures: tf.Tensor2D | null): Promise<RegionScores> {
    const names = ANOMALY_ONNX_OUTPUTS;
    const withTeacher = teacherFeatures !== null && this.hasTeacher;
    // Read the teacher's features before the tubes may move to another thread.
    const teacher = withTeacher ? await teacherFeatures.data<'float32'>() : null;
    const outputs = await this.runner.run(tubes);
    return {
      middleFrameError: output(outputs, names.middleFrameError),
      backward: output(outputs, names.backward),
      irregular: output(outputs, names.irregular),
      teacherGap: teacher === null ? null : rowMeanAbs(output(outputs, names.teacherFeatures), teacher, tubes.regions),
    };
  }

  dispose(): Promise<void> {
    return this.runner.close();
  }
}

export interface OnnxForwardOptions {
  /** Intra-op threads (default: every core). */
  threads?: number;
  /** Run the session on a thread of its own, so cutting the next batch overlaps the model (default true). */
  ownThread?: boolean;
}

/**
 * The saved model in `modelDir` as an ONNX Runtime forward pass; `unavailable` with the reason when ONNX
 * Runtime does not load here or the model does not convert.
 */
export async function onnxRegionForward(modelDir: string, options: OnnxForwardOptions = {}): Promise<OnnxForwardResult> {
  const threads = options.threads ?? os.availableParallelism();
  let onnx: ReturnType<typeof anomalyOnnx>;
  try {
    onnx = anomalyOnnx(await readKerasModel(modelDir), { producerVersion: 'scoring', docString: '', metadata: {} });
  } catch (error) {
    return { unavailable: `the model could not be read and converted to ONNX (${describe(error)})` };
  }
  try {
    const runner = options.ownThread === false ? await inThreadOnnxRunner(onnx.bytes, threads) : await threadedOnnxRunner(onnx.bytes, threads);
    return { forward: new OnnxRegionForward(runner, onnx.teacherDim > 0) };
  } catch (error) {
    return { unavailable: `the model did not load in ONNX Runtime (${describe(error)})` };
  }
}
