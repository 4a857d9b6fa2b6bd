/**
 * The SSMTL anomaly model as an ONNX graph that reproduces the app's per-region scores. Input: region
 * tubes [batch, 7, S, S, C] float32 0..1 (frames i−3..i+3 in playback order, NTHWC as in the app).
 * The graph takes the 6 non-middle frames for the shared encoder (as scoring does), runs every head,
 * and also gives the scores the app computes from them (anomaly-region-scores.ts): P(backward),
 * P(irregular) and the middle frame's mean absolute error against the tube's real middle frame.
 */
import { convertKerasModel } from '../../../engine/onnx/convert-keras-model.js';
import type { KerasModel } from '../../../engine/onnx/keras-model-files.js';
import type { Dim, OnnxGraphInfo } from '../../../engine/onnx/onnx-graph.js';
import { ANOMALY_OUTPUTS } from '../../anomaly-model-outputs.js';

export const ANOMALY_ONNX_INPUT = 'tubes';
const TUBE_FRAMES = 7;
const MIDDLE = 3;
/** The encoder's frames: the tube without its middle frame, in playback order. */
const INPUT_FRAME_INDICES = [0, 1, 2, 4, 5, 6];

/** Graph outputs, in order; `teacher_features` only when the model distils a teacher. */
export const ANOMALY_ONNX_OUTPUTS = {
  arrowLogits: 'arrow_logits',
  irregularLogits: 'irregular_logits',
  middleFrame: 'middle_frame',
  teacherFeatures: 'teacher_features',
  backward: 'p_backward',
  irregular: 'p_irregular',
  middleFrameError: 'middle_frame_mae',
} as const;

export interface AnomalyOnnx {
  bytes: Uint8Array;
  /** S and C of the region tubes. */
  size: number;
  channels: number;
  teacherDim: number;
  outputs: string[];
}

export function anomalyOnnx(model: KerasModel, info: OnnxGraphInfo): AnomalyOnnx {
  const heads = [ANOMALY_OUTPUTS.arrow, ANOMALY_OUTPUTS.irregular, ANOMALY_OUTPUTS.middle];
  for (const head of heads) if (!model.layers.has(head)) throw new Error(`model ${model.name} is not a VSSL anomaly model: it has no ${head} layer`);
  const hasTeacher = model.layers.has(ANOMALY_OUTPUTS.teacher);
  const [inputRef] = model.inputs;
  if (inputRef === undefined || model.inputs.length !== 1) throw new Error(`model ${model.name} is not a VSSL anomaly model: it needs one input`);
  let middleTarget = '';
  let frameShape: number[] = [];
  const converted = convertKerasModel(model, hasTeacher ? [...heads, ANOMALY_OUTPUTS.teacher] : heads, {
    reservedNames: [ANOMALY_ONNX_INPUT, ...Object.values(ANOMALY_ONNX_OUTPUTS)],
    computedInputs: {
      [inputRef.layer]: (graph, shape) => {
        if (shape.length !== 5 || shape[1] !== INPUT_FRAME_INDICES.length) throw new Error(`model ${model.name}: its input is not 6 frames [N, 6, S, S, C]`);
        frameShape = shape.slice(2) as number[];
        const tubes = graph.addInput(ANOMALY_ONNX_INPUT, ['batch', TUBE_FRAMES, ...frameShape]);
        middleTarget = graph.addNode('Gather', [tubes, graph.addInt64s('middle_index', [MIDDLE], [])], 'real_middle_frame', { axis: 1 });
        return graph.addNode('Gather', [tubes, graph.addInt64s('input_frame_indices', INPUT_FRAME_INDICES)], 'encoder_frames', { axis: 1 });
      },
    },
  });
  const { graph, ctx } = converted;
  const [arrow, irregular, middle, teacher] = converted.outputs.map((value) => ctx.as(value, 'keras'));
  if (arrow === undefined || irregular === undefined || middle === undefined) throw new Error(`model ${model.name}: missing heads`);
  const [size = 0, , channels = 0] = frameShape;
  const names = ANOMALY_ONNX_OUTPUTS;
  const declared: [string, string, Dim[]][] = [
    [arrow.name, names.arrowLogits, ['batch', 2]],
    [irregular.name, names.irregularLogits, ['batch', 2]],
    [middle.name, names.middleFrame, ['batch', ...frameShape]],
  ];
  const teacherDim = typeof teacher?.shape[1] === 'number' ? teacher.shape[1] : 0;
  if (teacher !== undefined) declared.push([teacher.name, names.teacherFeatures, ['batch', teacherDim]]);
  // P(class 1) of a 2-way head: softmax, then column 1.
  const secondClass = graph.addInt64s('class_one', [1], []);
  const probability = (logits: string, name: string): string =>
    graph.addNode('Gather', [graph.addNode('Softmax', [logits], `${name}_softmax`, { axis: 1 }), secondClass], name, { axis: 1 });
  declared.push([probability(arrow.name, names.backward), names.backward, ['batch']]);
  declared.push([probability(irregular.name, names.irregular), names.irregular, ['batch']]);
  const error = graph.addNode('Abs', [graph.addNode('Sub', [middle.name, middleTarget], 'middle_frame_difference')], 'middle_frame_abs_error');
  declared.push([graph.addNode('ReduceMean', [error], names.middleFrameError, { axes: [1, 2, 3], keepdims: 0 }), names.middleFrameError, ['batch']]);
  for (const [value, name, dims] of declared) graph.addOutput(value, name, dims);
  return { bytes: graph.encode({ graphName: model.name, ...info }), size, channels, teacherDim, outputs: declared.map(([, name]) => name) };
}
