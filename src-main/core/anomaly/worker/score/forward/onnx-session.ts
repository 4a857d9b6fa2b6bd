/** ONNX Runtime sessions for scoring, in the scoring thread or its ONNX thread: one way to open and read them. */
import type * as OnnxRuntime from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import { ANOMALY_ONNX_OUTPUTS } from '../../../main/export/anomaly-onnx.js';

export type Ort = typeof OnnxRuntime;

/** The graph outputs scoring reads (the teacher's features only where the model distils one). */
const SCORED_OUTPUTS = [ANOMALY_ONNX_OUTPUTS.middleFrameError, ANOMALY_ONNX_OUTPUTS.backward, ANOMALY_ONNX_OUTPUTS.irregular, ANOMALY_ONNX_OUTPUTS.teacherFeatures];

/** Loads ONNX Runtime (rejects where it does not load) and opens `graph` on `intraOpThreads` threads. */
export async function createOnnxSession(graph: Uint8Array, intraOpThreads: number): Promise<{ ort: Ort; session: InferenceSession }> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(graph, {
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  return { ort, session };
}

/** The scored outputs as arrays of their own (not views into ONNX Runtime's buffers), so they can be moved to another thread. */
export function floatOutputs(outputs: InferenceSession.OnnxValueMapType): Record<string, Float32Array> {
  const floats: Record<string, Float32Array> = {};
  for (const name of SCORED_OUTPUTS) {
    const value = outputs[name];
    if (value === undefined) continue;
    if (value.type !== 'float32') throw new Error(`the anomaly ONNX graph's output ${name} is ${value.type}, not float32`);
    floats[name] = (value.data as Float32Array).slice();
  }
  return floats;
}
