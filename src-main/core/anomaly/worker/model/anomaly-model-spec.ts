import { INPUT_FRAMES } from '../tasks/tube-batch.js';
import { ANOMALY_OUTPUTS } from '../../anomaly-model-outputs.js';

/** What an SSMTL model is built from: everything needed to rebuild it with the same weights layout. */
export interface AnomalyModelSpec {
  /** S: the side of a region's square frames (inputs [N, 6, S, S, C], the middle frame [N, S, S, C]). */
  size: number;
  /** C: channels per frame (3 for RGB, 1 for grayscale). */
  channels: number;
  /** Channels of the first encoder block; block i has width·2^i. */
  width: number;
  /** Encoder blocks, each halving the side (the decoder doubles it back as often). */
  depth: number;
  /** Length of the teacher's feature vector the distillation head predicts; 0 = no teacher, no such head. */
  teacherDim: number;
}

export const ANOMALY_MODEL_DEFAULTS: AnomalyModelSpec = { size: 64, channels: 3, width: 16, depth: 3, teacherDim: 0 };

/** Frames every head's input has: the 7-frame tube without its middle frame. */
export const ANOMALY_INPUT_FRAMES = INPUT_FRAMES;

/** Layer names of the model's outputs, in the order `model.outputs` lists them. */
export { ANOMALY_OUTPUTS };

/** Throws a specific error for a spec no model can be built from. */
export function assertValidAnomalySpec(spec: AnomalyModelSpec): void {
  const integer = (name: keyof AnomalyModelSpec, min: number) => {
    const value = spec[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new Error(`anomaly model spec: ${name} must be an integer ≥ ${min}, got ${String(value)}`);
    }
  };
  integer('size', 4);
  integer('channels', 1);
  integer('width', 1);
  integer('depth', 1);
  integer('teacherDim', 0);
  const factor = 2 ** spec.depth;
  // The decoder doubles the encoder's side back `depth` times: it only lands on S when S divides evenly.
  if (spec.size % factor !== 0 || spec.size / factor < 1) {
    throw new Error(`anomaly model spec: size ${spec.size} must be a multiple of 2^depth = ${factor} (depth ${spec.depth})`);
  }
}

/** Channels of encoder block `block` (0-based). */
export function blockChannels(spec: AnomalyModelSpec, block: number): number {
  return spec.width * 2 ** block;
}

/** The side of the encoder's output map. */
export function codeSide(spec: AnomalyModelSpec): number {
  return spec.size / 2 ** spec.depth;
}
