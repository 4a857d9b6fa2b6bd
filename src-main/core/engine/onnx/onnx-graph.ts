/**
 * Builds an ONNX model (standard ops only, opset 17, the default domain) and encodes it with the kept
 * protobuf definition of the `onnx-proto` package. Plain TypeScript: the main thread writes ONNX files
 * without TensorFlow.js.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** The opset every exported graph imports (what Debian's python3-onnx 1.12 checks). */
export const ONNX_OPSET = 17;
/** IR version 8: what onnx 1.10–1.12 write for opset ≤ 17. */
const IR_VERSION = 8;

/** A tensor dimension: a fixed size, or the name of a dynamic one (the batch). */
export type Dim = number | string;

/** What a model file says about itself besides the graph. */
export interface OnnxGraphInfo {
  producerVersion: string;
  docString: string;
  /** Becomes the model's metadata_props. */
  metadata: Record<string, string>;
}

export type AttributeValue = number | number[] | string | { floats: number[] } | { float: number };

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const type = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') return { name, type: type.INT, i: value };
  if (typeof value === 'string') return { name, type: type.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: type.INTS, ints: value };
  if ('float' in value) return { name, type: type.FLOAT, f: value.float };
  return { name, type: type.FLOATS, floats: value.floats };
}

function valueInfo(name: string, dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function bytesOf(array: Float32Array | BigInt64Array): Uint8Array {
  // ONNX raw data is little-endian, as are the machines the app runs on; copy so the bytes are tight.
  return new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
}

/** Nodes, weights, inputs and outputs of one graph, with names made unique as they are added. */
export class OnnxGraph {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly used = new Set<string>();
  /** Names kept for the graph's inputs and outputs: inner values never get them. */
  private readonly reserved = new Set<string>();

  reserve(names: string[]): void {
    for (const name of names) this.reserved.add(name);
  }

  /** `base` if no value has that name yet (nor is it reserved), else `base_2`, `base_3`, … */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name) || this.reserved.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  addInput(name: string, dims: Dim[]): string {
    if (this.used.has(name)) throw new Error(`ONNX graph: the input name ${name} is taken`);
    this.used.add(name);
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** Declares `value` a graph output called `name` (an Identity renames it when the names differ). */
  addOutput(value: string, name: string, dims: Dim[]): void {
    if (value !== name) {
      if (this.used.has(name)) throw new Error(`ONNX graph: the output name ${name} is taken`);
      this.used.add(name);
      this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: `${name}_identity` });
    }
    this.outputs.push(valueInfo(name, dims));
  }

  addFloats(base: string, dims: number[], data: Float32Array): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (data.length !== expected) throw new Error(`ONNX graph: ${base} has ${data.length} values for the shape [${dims.join(', ')}]`);
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytesOf(data) });
    return name;
  }

  addInt64s(base: string, values: number[], dims: number[] = [values.length]): string {
    const name = this.uniqueName(base);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims, dataType: onnx.TensorProto.DataType.INT64, rawData: bytesOf(data) });
    return name;
  }

  /** Adds one node and returns the name of its (first) output, `base` made unique. */
  addNode(opType: string, inputs: string[], base: string, attributes: Record<string, AttributeValue> = {}): string {
    const output = this.uniqueName(base);
    this.nodes.push({
      opType,
      input: inputs,
      output: [output],
      name: output,
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }

  /** The model file's bytes. */
  encode(info: OnnxGraphInfo & { graphName: string }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      producerName: 'VSSL Studio',
      producerVersion: info.producerVersion,
      docString: info.docString,
      graph: {
        name: info.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      metadataProps: Object.entries(info.metadata).map(([key, value]) => ({ key, value })),
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
