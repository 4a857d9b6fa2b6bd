#!/usr/bin/env node
/**
 * Inference speed of the exported ONNX classifier in onnxruntime-node next to the app's own prediction
 * (batchProbabilities, the predict path's forward pass, on the app's default backend here: wasm), in clips/s.
 * The model is the default r2plus1d (8×64×64 clips, width 16, depth 3, 10 classes), saved as the app saves
 * it and converted as `vssl model export --format onnx` does. The app is timed without MC-dropout (what the
 * ONNX graph computes) and with the default 10 MC passes (what a prediction run does). Batches of 32 clips.
 *
 *   node bench/onnx-inference.mjs [--batches 8] [--smoke]
 * --smoke: a width-4, depth-1, 4×16×16 model and one batch of 2 clips.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importBuild, importTfjs } from './lib/build.mjs';
import { argsWithoutSmoke, report, round, SMOKE } from './lib/harness.mjs';

const { values } = parseArgs({ args: argsWithoutSmoke(), options: { batches: { type: 'string', default: SMOKE ? '1' : '8' } } });
const batches = Number(values.batches);
const batchSize = SMOKE ? 2 : 32;
const spec = SMOKE
  ? { architecture: 'r2plus1d', classes: 10, frames: 4, size: 16, width: 4, depth: 1, dropout: 0.3 }
  : { architecture: 'r2plus1d', classes: 10, frames: 8, size: 64, width: 16, depth: 3, dropout: 0.3 };

const tf = await importTfjs();
const { selectBackend } = await importBuild('selectBackend');
const { buildModel } = await importBuild('buildModel');
const { saveModel } = await importBuild('modelIo');
const { clipBatchToTensor } = await importBuild('clipTensor');
const { batchProbabilities } = await importBuild('batchProbabilities');
const { Rng } = await importBuild('random');
const { readKerasModel } = await importBuild('kerasModelFiles');
const { classifierOnnx } = await importBuild('classifierOnnx');
const ort = await import('onnxruntime-node');

const backend = await selectBackend(process.env);
const model = buildModel(spec, { seed: 1 });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-bench-onnx-'));
await saveModel(model, dir);
const { bytes } = classifierOnnx(await readKerasModel(dir), { producerVersion: 'bench', docString: '', metadata: {} });
fs.rmSync(dir, { recursive: true, force: true });

const clipBytes = spec.frames * spec.size * spec.size * 3;
const rng = new Rng(7);
const clips = Array.from({ length: batchSize }, () => Uint8Array.from({ length: clipBytes }, () => Math.floor(rng.uniform(0, 256))));
const clipSpec = { frames: spec.frames, size: spec.size, fps: null };

/** Clips per second over `batches` batches after one warm-up batch; `run` does one batch from the uint8 clips. */
async function clipsPerSecond(run) {
  await run();
  const started = performance.now();
  for (let i = 0; i < batches; i++) await run();
  return round((batches * batchSize) / ((performance.now() - started) / 1000));
}

async function appPredict(mcPasses) {
  const x = clipBatchToTensor(clips, clipSpec);
  try {
    await batchProbabilities(model, x, mcPasses, rng);
  } finally {
    x.dispose();
  }
}

const session = await ort.InferenceSession.create(bytes);
async function onnxPredict() {
  const input = new Float32Array(batchSize * clipBytes);
  clips.forEach((clip, i) => {
    for (let j = 0; j < clipBytes; j++) input[i * clipBytes + j] = clip[j] / 255;
  });
  await session.run({ clips: new ort.Tensor('float32', input, [batchSize, spec.frames, spec.size, spec.size, 3]) });
}

const result = {
  benchmark: 'onnx-inference',
  model: spec,
  onnxBytes: bytes.length,
  batchSize,
  batches,
  clipsPerSecond: {
    onnxruntime: await clipsPerSecond(onnxPredict),
    app: await clipsPerSecond(() => appPredict(0)),
    appWithMcDropout10: await clipsPerSecond(() => appPredict(10)),
  },
  onnxruntimeVersion: ort.env.versions?.node ?? null,
  tensorsLeft: tf.memory().numTensors - model.weights.length,
};
await session.release();
model.dispose();
report(result, { backend: backend.name });
