/**
 * The SSMTL multi-task model: one shared (2+1)D encoder over a region's 6 non-middle frames
 * [N, 6, S, S, C] (float 0..1) and the heads arrow of time (2 logits, class 1 = backward), motion
 * irregularity (2 logits, class 1 = irregular), middle-frame prediction ([N, S, S, C], sigmoid) and,
 * when the spec has a teacher size, distillation ([N, teacherDim]). Outputs in that order.
 */
import * as tf from '@tensorflow/tfjs';
import { buildEncoder } from './anomaly-encoder.js';
import { classHead, middleFrameHead, teacherHead } from './anomaly-heads.js';
import { ANOMALY_INPUT_FRAMES, ANOMALY_OUTPUTS, assertValidAnomalySpec, type AnomalyModelSpec } from './anomaly-model-spec.js';
import { InitSeeds } from '../../../engine/worker/layers/factorised-blocks.js';

export const ANOMALY_MODEL_NAME = 'ssmtl';

/** Builds a fresh model; with `seed` its initial weights are the same every time. */
export function buildAnomalyModel(spec: AnomalyModelSpec, options: { seed?: number } = {}): tf.LayersModel {
  assertValidAnomalySpec(spec);
  const seeds = new InitSeeds(options.seed);
  const input = tf.input({ shape: [ANOMALY_INPUT_FRAMES, spec.size, spec.size, spec.channels], name: 'frames' });
  const code = buildEncoder(input, spec, seeds);
  const outputs = [classHead(code, 'arrow', spec, seeds), classHead(code, 'irregular', spec, seeds), middleFrameHead(code, spec, seeds)];
  if (spec.teacherDim > 0) outputs.push(teacherHead(code, spec, seeds));
  return tf.model({ inputs: input, outputs, name: ANOMALY_MODEL_NAME });
}

function layerConfigNumber(model: tf.LayersModel, layer: string, key: string): number {
  let config: tf.serialization.ConfigDict;
  try {
    config = model.getLayer(layer).getConfig();
  } catch {
    throw new Error(`model ${model.name} is not an anomaly model: it has no layer ${layer}`);
  }
  const value = config[key];
  if (typeof value !== 'number') throw new Error(`model ${model.name}: layer ${layer} has no numeric ${key}`);
  return value;
}

/** The spec a model was built from, read back from its layers (for loaded models); throws for other models. */
export function anomalySpecOf(model: tf.LayersModel): AnomalyModelSpec {
  const input = model.inputs[0]?.shape;
  const [, frames, height, width, channels] = input ?? [];
  if (model.inputs.length !== 1 || input?.length !== 5 || frames !== ANOMALY_INPUT_FRAMES || typeof height !== 'number' || height !== width || typeof channels !== 'number') {
    throw new Error(`model ${model.name} is not an anomaly model: it does not take frames [N, ${ANOMALY_INPUT_FRAMES}, S, S, C]`);
  }
  const outputNames = model.outputs.map((o) => o.sourceLayer.name);
  const expected: string[] = [ANOMALY_OUTPUTS.arrow, ANOMALY_OUTPUTS.irregular, ANOMALY_OUTPUTS.middle];
  const hasTeacher = outputNames.length === 4 && outputNames[3] === ANOMALY_OUTPUTS.teacher;
  if (expected.some((name, i) => outputNames[i] !== name) || (outputNames.length !== 3 && !hasTeacher)) {
    throw new Error(`model ${model.name} is not an anomaly model: its outputs are ${outputNames.join(', ')}`);
  }
  const depth = model.layers.filter((layer) => /^block\d+_spatial_conv$/.test(layer.name)).length;
  const spec: AnomalyModelSpec = {
    size: height,
    channels,
    width: layerConfigNumber(model, 'block1_spatial_conv', 'filters'),
    depth,
    teacherDim: hasTeacher ? layerConfigNumber(model, ANOMALY_OUTPUTS.teacher, 'units') : 0,
  };
  assertValidAnomalySpec(spec);
  return spec;
}
