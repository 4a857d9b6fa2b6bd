#!/usr/bin/env node
/**
 * Augmentation cost per training step on the backend the app selects (wasm here): weak and strong
 * views of a batch of unlabelled clips (default 56 = μ·B with μ 7, B 8) and the weak view of the
 * labelled batch (8), each clip 8×64×64×3. Runs on the compiled core (`npm run build:main`);
 * prints one JSON object with the median ms per call.
 *
 *   node bench/augment-speed.mjs [--clips 56] [--labelled 8] [--frames 8] [--size 64] [--reps 7]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    clips: { type: 'string', default: '56' },
    labelled: { type: 'string', default: '8' },
    frames: { type: 'string', default: '8' },
    size: { type: 'string', default: '64' },
    reps: { type: 'string', default: '7' },
    // The compiled core; a different build folder can be named for a quick check.
    out: { type: 'string', default: path.resolve(import.meta.dirname, '..', 'out', 'main') },
  },
});
const ml = path.join(values.out, 'core', 'ml');
if (!fs.existsSync(path.join(ml, 'augment', 'strong.js'))) {
  console.error(`bench: ${ml} has no compiled augment module: run "npm run build:main" first.`);
  process.exit(1);
}

const tf = await import('@tensorflow/tfjs');
const { selectBackend } = await import(path.join(ml, 'backend', 'select-backend.js'));
const { Rng } = await import(path.join(ml, 'random.js'));
const { weakAugment } = await import(path.join(ml, 'augment', 'weak.js'));
const { strongAugment } = await import(path.join(ml, 'augment', 'strong.js'));

const choice = await selectBackend();
const [clips, labelled, frames, size, reps] = ['clips', 'labelled', 'frames', 'size', 'reps'].map((k) => Number(values[k]));
const unlabelledBatch = tf.randomUniform([clips, frames, size, size, 3]);
const labelledBatch = tf.randomUniform([labelled, frames, size, size, 3]);
const rng = new Rng(1);
const options = { flip: true };

function medianMs(fn) {
  fn().dispose(); // warm-up: kernel setup and wasm memory growth
  const times = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    const out = fn();
    out.dataSync(); // wasm runs synchronously; this only makes the timing honest on async backends
    times.push(performance.now() - started);
    out.dispose();
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(reps / 2)]);
}

const tensorsBefore = tf.memory().numTensors;
const weakUnlabelled = medianMs(() => weakAugment(unlabelledBatch, rng, options));
const strongUnlabelled = medianMs(() => strongAugment(unlabelledBatch, rng, options));
const weakLabelled = medianMs(() => weakAugment(labelledBatch, rng, options));
console.log(
  JSON.stringify({
    backend: choice.name,
    batch: { clips, labelled, frames, size },
    msWeakUnlabelled: weakUnlabelled,
    msStrongUnlabelled: strongUnlabelled,
    msWeakLabelled: weakLabelled,
    msPerTrainingStep: weakUnlabelled + strongUnlabelled + weakLabelled,
    tensorsBefore,
    tensorsAfter: tf.memory().numTensors,
  }),
);
