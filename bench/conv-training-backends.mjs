#!/usr/bin/env node
/**
 * Training throughput of a small 2D CNN on each TensorFlow.js backend this machine can load:
 * batch 32 of 28×28×1, two stride-2 convolutions (16 and 32 filters) and a dense layer, Adam.
 * Shows what the wasm backend's added conv-backprop kernels buy over the cpu kernels.
 * Runs on the compiled core (`npm run build:main`); prints one JSON object with the machine record.
 *
 *   node bench/conv-training-backends.mjs [--backends wasm,cpu] [--steps 40] [--smoke]
 * --smoke: one warm-up and one timed step a backend.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { importBuild, importTfjs } from './lib/build.mjs';
import { report, SMOKE } from './lib/harness.mjs';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu' },
    steps: { type: 'string', default: SMOKE ? '1' : '40' },
    child: { type: 'string' },
    smoke: { type: 'boolean', default: false },
  },
});

if (values.child) {
  // One backend per process: tfjs keeps one global engine.
  const tf = await importTfjs();
  const { selectBackend } = await importBuild('selectBackend');
  const choice = await selectBackend({ ...process.env, VSSL_TF_BACKEND: values.child });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: tf.losses.softmaxCrossEntropy });
  const x = tf.randomUniform([32, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([32], 0, 10, 'int32'), 10);
  for (let i = 0; i < (SMOKE ? 1 : 3); i++) await model.trainOnBatch(x, y); // warm-up
  // The cpu kernels take about a second a step: fewer steps keep the run short.
  const steps = values.child === 'cpu' ? Math.min(5, Number(values.steps)) : Number(values.steps);
  const tensorsBefore = tf.memory().numTensors;
  const started = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      backend: choice.name,
      reason: choice.reason,
      steps,
      samplesPerSecond: Math.round((steps * 32) / seconds),
      msPerStep: Math.round((seconds / steps) * 1000),
      tensorsBefore,
      tensorsAfter: tf.memory().numTensors,
    }),
  );
  process.exit(0);
}

const results = [];
for (const backend of values.backends.split(',')) {
  const run = spawnSync(process.execPath, [import.meta.filename, '--child', backend, '--steps', values.steps, ...(SMOKE ? ['--smoke'] : [])], {
    encoding: 'utf8',
  });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  results.push(run.status === 0 ? JSON.parse(line) : { backend, error: run.stderr.trim().split('\n').pop() });
}
report({ bench: 'conv-training-backends', batch: 32, input: '28x28x1', results }, { backend: results.map((r) => r.backend).join(',') });
