/**
 * Test helpers: save a TF.js model the way the app does, convert it, run the ONNX file in
 * onnxruntime-node, and check it with Python onnx's checker where Debian's python3-onnx is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { saveModel } from '../worker/model-io.js';
import { convertKerasModel } from './convert-keras-model.js';
import { readKerasModel, type KerasModel } from './keras-model-files.js';

const dirs: string[] = [];

export function tempDir(prefix = 'vssl-onnx-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Saves `model` with the app's saveModel and reads the files back as the converter sees them. */
export async function savedKerasModel(model: tf.LayersModel): Promise<KerasModel> {
  const dir = tempDir();
  await saveModel(model, dir);
  return readKerasModel(dir);
}

/** A graph whose one output `y` is `layer`'s output in the Keras layout (for per-layer tests). */
export function layerOutputOnnx(model: KerasModel, layer: string): Uint8Array {
  const { graph, ctx, outputs } = convertKerasModel(model, [layer]);
  const [value] = outputs;
  if (value === undefined) throw new Error('no output');
  graph.addOutput(ctx.as(value, 'keras').name, 'y', ['batch', ...(value.shape.slice(1) as number[])]);
  return graph.encode({ graphName: model.name, producerVersion: 'test', docString: '', metadata: {} });
}

export async function runOnnx(bytes: Uint8Array, feeds: Record<string, tf.Tensor>): Promise<Record<string, { dims: readonly number[]; data: Float32Array }>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) inputs[name] = new ort.Tensor('float32', tensor.dataSync() as Float32Array, tensor.shape);
    const results = await session.run(inputs);
    const out: Record<string, { dims: readonly number[]; data: Float32Array }> = {};
    for (const [name, value] of Object.entries(results)) out[name] = { dims: value.dims, data: value.data as Float32Array };
    return out;
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return max;
}

const PYTHON = '/usr/bin/python3';

/** Why Python onnx cannot check here (null when it can): `import onnx` fails without python3-onnx. */
export function pythonOnnxMissing(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} cannot run (${probe.error.message})`;
  return probe.status === 0 ? null : `import onnx fails in ${PYTHON} (install python3-onnx): ${probe.stderr.trim().split('\n').pop() ?? ''}`;
}

/**
 * Python onnx's checker on the graph where python3-onnx is installed: '' when it passes, its stderr when
 * not. Where `import onnx` fails the check is skipped and says why on stderr (the other checks still run).
 */
export function pythonCheckOrSkip(bytes: Uint8Array, name: string): string {
  const missing = pythonOnnxMissing();
  if (missing !== null) {
    console.warn(`skipped Python onnx's checker for ${name}: ${missing}`);
    return '';
  }
  return pythonCheck(writeTemp(name, bytes));
}

/** Runs onnx.checker.check_model(full_check=True) on the file; returns its stderr on failure, '' when it passes. */
export function pythonCheck(file: string): string {
  const result = spawnSync(PYTHON, ['-c', 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', file], { encoding: 'utf8' });
  return result.status === 0 ? '' : `${result.stderr}${result.error?.message ?? ''}`;
}

export function writeTemp(name: string, bytes: Uint8Array): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, bytes);
  return file;
}
