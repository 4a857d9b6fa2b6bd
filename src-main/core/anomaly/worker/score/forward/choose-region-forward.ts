/**
 * Which forward pass a scoring job runs: on a CPU backend, ONNX Runtime on every core where it loads (faster
 * than the wasm backend here, docs/benchmarks.md); on a backend that computes on a hardware GPU the model
 * stays on the GPU. VSSL_ANOMALY_FORWARD=tfjs or =onnxruntime forces one (benchmarks, a person
 * chasing a difference); TensorFlow.js is the fallback whenever ONNX Runtime cannot run the model.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../../../../engine/backend-choice.js';
import { onnxRegionForward } from './onnx-region-forward.js';
import { tfjsRegionForward, type RegionForward, type RegionForwardEngine } from './region-forward.js';

export const FORWARD_ENV_VAR = 'VSSL_ANOMALY_FORWARD';

export interface ChosenForward {
  forward: RegionForward;
  /** One line for the job's log: the engine and, on a fallback, why. */
  note: string;
}

function wantedEngine(env: NodeJS.ProcessEnv, backend: BackendChoice): RegionForwardEngine {
  const forced = env[FORWARD_ENV_VAR];
  if (forced === 'tfjs' || forced === 'onnxruntime') return forced;
  if (forced !== undefined && forced !== '') throw new Error(`${FORWARD_ENV_VAR} must be tfjs or onnxruntime, got ${forced}`);
  return backend.gpu ? 'tfjs' : 'onnxruntime';
}

export async function chooseRegionForward(model: tf.LayersModel, modelDir: string, backend: BackendChoice, env: NodeJS.ProcessEnv = process.env): Promise<ChosenForward> {
  if (wantedEngine(env, backend) === 'tfjs') return { forward: tfjsRegionForward(model), note: `Scoring with TensorFlow.js (${backend.name})` };
  const onnx = await onnxRegionForward(modelDir);
  if ('forward' in onnx) return { forward: onnx.forward, note: 'Scoring with ONNX Runtime on every core, on a thread of its own' };
  return { forward: tfjsRegionForward(model), note: `Scoring with TensorFlow.js (${backend.name}): ${onnx.unavailable}` };
}
