/**
 * What the per-layer converters share: the graph being built, the Keras model's weights, and the
 * values flowing between layers. A value keeps its Keras (channels-last) shape and says how it is laid
 * out in the graph: as Keras has it, or channels-first (ONNX's NCHW/NCW, what Conv and pooling need).
 * A converter asks for the layout it needs; the Transpose between the two is added once per value.
 */
import type { KerasLayer, KerasModel, KerasWeight } from './keras-model-files.js';
import type { AttributeValue, OnnxGraph } from './onnx-graph.js';

export type Layout = 'keras' | 'channelsFirst';

/** Keras shape: null for the (dynamic) batch. */
export type KerasShape = (number | null)[];

export interface OnnxValue {
  name: string;
  shape: KerasShape;
  layout: Layout;
}

/** keras → channels-first: [0, r−1, 1, …, r−2]; channels-first → keras: [0, 2, …, r−1, 1]. */
function permutation(rank: number, to: Layout): number[] {
  const middle = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  return to === 'channelsFirst' ? [0, rank - 1, ...middle] : [0, ...middle.map((i) => i + 1), 1];
}

export class ConvertContext {
  private readonly relaid = new Map<string, OnnxValue>();

  constructor(
    readonly graph: OnnxGraph,
    private readonly model: KerasModel,
  ) {}

  /** The value in `layout`; ranks 1 and 2 are the same in both. */
  as(value: OnnxValue, layout: Layout): OnnxValue {
    if (value.layout === layout || value.shape.length <= 2) return value;
    const key = `${value.name}\u0000${layout}`;
    const cached = this.relaid.get(key);
    if (cached !== undefined) return cached;
    const name = this.graph.addNode('Transpose', [value.name], `${value.name}_${layout === 'keras' ? 'nhwc' : 'nchw'}`, {
      perm: permutation(value.shape.length, layout),
    });
    const relaid = { name, shape: value.shape, layout };
    this.relaid.set(key, relaid);
    return relaid;
  }

  node(opType: string, inputs: string[], base: string, attributes: Record<string, AttributeValue> = {}): string {
    return this.graph.addNode(opType, inputs, base, attributes);
  }

  /** The layer's saved weight `key` (e.g. kernel); a clear error when the model file lacks it. */
  weight(layer: KerasLayer, key: string): KerasWeight {
    const weight = this.model.weights.get(`${layer.name}/${key}`);
    if (weight === undefined) throw new Error(`layer ${layer.name} (${layer.className}): the weights have no ${layer.name}/${key}`);
    return weight;
  }

  /** An int64 shape or index tensor. */
  ints(base: string, values: number[]): string {
    return this.graph.addInt64s(base, values);
  }

  floats(base: string, dims: number[], data: Float32Array): string {
    return this.graph.addFloats(base, dims, data);
  }
}

/** A copy of `data` (row-major, `shape`) with its axes reordered by `perm`. */
export function transposeData(data: Float32Array, shape: number[], perm: number[]): { data: Float32Array; shape: number[] } {
  const outShape = perm.map((axis) => shape[axis] ?? 1);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let axis = 0; axis < perm.length; axis++) source += (index[axis] ?? 0) * (strides[perm[axis] ?? 0] ?? 0);
    out[o] = data[source] ?? 0;
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] ?? 0) + 1;
      if ((index[axis] ?? 0) < (outShape[axis] ?? 1)) break;
      index[axis] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** The fixed sizes of a Keras shape after the batch; a clear error for an unknown one. */
export function fixedDims(shape: KerasShape, layer: KerasLayer): number[] {
  return shape.slice(1).map((d) => {
    if (d === null) throw new Error(`layer ${layer.name} (${layer.className}): the ONNX export needs every size but the batch known, got [${shape.map(String).join(', ')}]`);
    return d;
  });
}
