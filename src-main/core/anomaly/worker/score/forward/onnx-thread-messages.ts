/**
 * The messages between a scoring job and its ONNX Runtime thread: an `init` with the converted graph, then
 * `run` jobs carrying one batch of tubes each, answered by the graph's float outputs or an `error`.
 */

export interface OnnxThreadInit {
  type: 'init';
  graph: Uint8Array;
  intraOpThreads: number;
}

export interface OnnxThreadRun {
  type: 'run';
  id: number;
  /** Tubes [shape], float32. */
  tubes: Float32Array;
  shape: number[];
}

export type ToOnnxThread = OnnxThreadInit | OnnxThreadRun;

export type FromOnnxThread =
  | { type: 'ready' }
  | { type: 'outputs'; id: number; outputs: Record<string, Float32Array> }
  | { type: 'error'; id: number | null; message: string };

function typeOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type : null;
}

export function isToOnnxThread(value: unknown): value is ToOnnxThread {
  const type = typeOf(value);
  if (type === 'init') return (value as { graph?: unknown }).graph instanceof Uint8Array;
  return type === 'run' && (value as { tubes?: unknown }).tubes instanceof Float32Array && Array.isArray((value as { shape?: unknown }).shape);
}

export function isFromOnnxThread(value: unknown): value is FromOnnxThread {
  const type = typeOf(value);
  if (type === 'outputs') return typeof (value as { outputs?: unknown }).outputs === 'object';
  return type === 'ready' || type === 'error';
}
