import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/random.js';
import { drawIrregularParams, irregularSourceFrames, IRREGULAR_DEFAULTS, stepOffsets, type IrregularOptions, type IrregularParams } from './irregular-steps.js';
import { gatherFrames, INPUT_OFFSETS, TUBE_FRAMES, tubeBatchShape } from './tube-batch.js';

// Every task's input is 6 frames [N, 6, S, S, C] (the 7-frame sequence without its middle frame), so one
// shared encoder sees one input shape, and at scoring time a single pass over a region's 6 frames
// gives all heads' scores at once.

/** A classification task's batch: inputs and int32 labels [N]. The caller disposes both. */
export interface ClassSamples {
  input: tf.Tensor5D;
  labels: tf.Tensor1D;
}

export interface ArrowParams {
  reversed: boolean;
}

export function drawArrowParams(rng: Rng, count: number, reversedShare = 0.5): ArrowParams[] {
  if (!(reversedShare >= 0 && reversedShare <= 1)) throw new Error(`arrow of time: the reversed share must be in [0, 1], got ${reversedShare}`);
  return Array.from({ length: count }, () => ({ reversed: rng.bool(reversedShare) }));
}

function labelTensor(values: readonly boolean[]): tf.Tensor1D {
  return tf.tensor1d(Int32Array.from(values, (v) => (v ? 1 : 0)), 'int32');
}

/** Arrow of time: the 6 non-middle frames, played backwards where `reversed` (label 1 = reversed). */
export function arrowOfTimeSamples(tubes: tf.Tensor5D, params: readonly ArrowParams[]): ClassSamples {
  const shape = tubeBatchShape(tubes, TUBE_FRAMES);
  if (params.length !== shape.tubes) throw new Error(`arrow of time: ${params.length} parameter sets for ${shape.tubes} tubes`);
  const offsets = params.map((p) => (p.reversed ? [...INPUT_OFFSETS].reverse() : INPUT_OFFSETS));
  return { input: gatherFrames(tubes, shape, offsets), labels: labelTensor(params.map((p) => p.reversed)) };
}

/** Motion irregularity: the 6 non-middle frames of the sequence the steps visit (label 1 = not regular). */
export function irregularitySamples(tubes: tf.Tensor5D, params: readonly IrregularParams[]): ClassSamples {
  const offsets = params.map((p) => stepOffsets(p.steps).filter((_, k) => k !== 3));
  const reach = Math.max(3, ...offsets.flat().map(Math.abs));
  const shape = tubeBatchShape(tubes, 1 + 2 * reach);
  if (params.length !== shape.tubes) throw new Error(`motion irregularity: ${params.length} parameter sets for ${shape.tubes} tubes`);
  return { input: gatherFrames(tubes, shape, offsets), labels: labelTensor(params.map((p) => p.kind !== 'regular')) };
}

/** Middle-frame prediction: input the 6 non-middle frames, target the middle frame [N, S, S, C]. */
export interface MiddleFrameSamples {
  input: tf.Tensor5D;
  target: tf.Tensor4D;
}

/** Also the input for scoring: the same 6 frames feed every head. */
export function middleFrameSamples(tubes: tf.Tensor5D): MiddleFrameSamples {
  const shape = tubeBatchShape(tubes, TUBE_FRAMES);
  const input = gatherFrames(tubes, shape, Array.from({ length: shape.tubes }, () => INPUT_OFFSETS));
  const target = tf.tidy(() => {
    const middle = gatherFrames(tubes, shape, Array.from({ length: shape.tubes }, () => [0]));
    return middle.reshape<tf.Tensor4D>([shape.tubes, shape.size, shape.size, shape.channels]);
  });
  return { input, target };
}

export interface TaskSampleOptions {
  /** Share of arrow-of-time samples played backwards. */
  reversed: number;
  irregularity: IrregularOptions;
}

export const TASK_SAMPLE_DEFAULTS: TaskSampleOptions = { reversed: 0.5, irregularity: IRREGULAR_DEFAULTS };

/** Source frames per tube `buildTaskSamples` needs with these options (19 by default, for skips of 3). */
export function taskSourceFrames(options: TaskSampleOptions = TASK_SAMPLE_DEFAULTS): number {
  return Math.max(TUBE_FRAMES, irregularSourceFrames(options.irregularity));
}

/** One training batch for all three tasks from the same source tubes, with the draws that made it. */
export interface TaskSamples {
  arrow: ClassSamples;
  irregularity: ClassSamples;
  middle: MiddleFrameSamples;
  arrowParams: ArrowParams[];
  irregularParams: IrregularParams[];
}

/**
 * Builds every task's samples from source tubes `[N, L, S, S, C]` (L ≥ `taskSourceFrames(options)`, odd;
 * the 7-frame tube is the middle 7). Draws come from `rng` (arrow first, then irregularity), so a seed
 * reproduces the batch. The caller disposes the result (`disposeTaskSamples`).
 */
export function buildTaskSamples(tubes: tf.Tensor5D, rng: Rng, options: TaskSampleOptions = TASK_SAMPLE_DEFAULTS): TaskSamples {
  const shape = tubeBatchShape(tubes, taskSourceFrames(options));
  const arrowParams = drawArrowParams(rng, shape.tubes, options.reversed);
  const irregularParams = drawIrregularParams(rng, shape.tubes, options.irregularity);
  const made: tf.Tensor[] = [];
  try {
    const arrow = arrowOfTimeSamples(tubes, arrowParams);
    made.push(arrow.input, arrow.labels);
    const irregularity = irregularitySamples(tubes, irregularParams);
    made.push(irregularity.input, irregularity.labels);
    const middle = middleFrameSamples(tubes);
    return { arrow, irregularity, middle, arrowParams, irregularParams };
  } catch (error) {
    tf.dispose(made);
    throw error;
  }
}

export function disposeTaskSamples(samples: TaskSamples): void {
  tf.dispose([samples.arrow.input, samples.arrow.labels, samples.irregularity.input, samples.irregularity.labels, samples.middle.input, samples.middle.target]);
}
