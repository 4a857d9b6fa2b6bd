/** Keras activations as ONNX ops, on a value in whatever layout it is. */
import type { ConvertContext, OnnxValue } from './convert-context.js';

const ELEMENTWISE: Record<string, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', elu: 'Elu', selu: 'Selu', softplus: 'Softplus', softsign: 'Softsign' };

/** The channel axis of the value as laid out: last in Keras layout, 1 channels-first. */
export function channelAxis(value: OnnxValue): number {
  return value.layout === 'keras' || value.shape.length <= 2 ? value.shape.length - 1 : 1;
}

/** Applies the Keras activation `name` ('linear' adds nothing); throws for one it does not know. */
export function applyActivation(ctx: ConvertContext, value: OnnxValue, name: string, where: string): OnnxValue {
  if (name === 'linear') return value;
  const base = `${where}_${name}`;
  const op = ELEMENTWISE[name];
  if (op !== undefined) return { ...value, name: ctx.node(op, [value.name], base) };
  if (name === 'relu6') return clip(ctx, value, 0, 6, base);
  if (name === 'softmax') return { ...value, name: ctx.node('Softmax', [value.name], base, { axis: channelAxis(value) }) };
  throw new Error(`layer ${where}: the activation ${name} has no ONNX conversion (known: linear, relu, relu6, softmax, ${Object.keys(ELEMENTWISE).join(', ')})`);
}

export function clip(ctx: ConvertContext, value: OnnxValue, min: number, max: number, base: string): OnnxValue {
  const lo = ctx.floats(`${base}_min`, [], Float32Array.of(min));
  const hi = ctx.floats(`${base}_max`, [], Float32Array.of(max));
  return { ...value, name: ctx.node('Clip', [value.name, lo, hi], base) };
}
