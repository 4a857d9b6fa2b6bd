#!/usr/bin/env node
/**
 * Augmentation cost per training step on the backend the app selects (wasm here): weak and strong
 * views of a batch of unlabelled clips (default 56 = μ·B with μ 7, B 8) and the weak view of the
 * labelled batch (8), each clip 8×64×64×3. Runs on the compiled core (`npm run build:main`; VSSL_BUILD
 * names another build); prints one JSON object with the median ms per call and the machine record.
 *
 *   node bench/augment-speed.mjs [--clips 56] [--labelled 8] [--frames 8] [--size 64] [--reps 7] [--smoke]
 * --smoke: 4 + 2 clips of 4×16×16, one repetition.
 */
import { parseArgs } from 'node:util';
import { importBuild, importTfjs } from './lib/build.mjs';
import { report, SMOKE } from './lib/harness.mjs';

const { values } = parseArgs({
  options: {
    clips: { type: 'string', default: SMOKE ? '4' : '56' },
    labelled: { type: 'string', default: SMOKE ? '2' : '8' },
    frames: { type: 'string', default: SMOKE ? '4' : '8' },
    size: { type: 'string', default: SMOKE ? '16' : '64' },
    reps: { type: 'string', default: SMOKE ? '1' : '7' },
    smoke: { type: 'boolean', default: false },
  },
});

const tf = await importTfjs();
const { selectBackend } = await importBuild('selectBackend');
const { Rng } = await importBuild('random');
const { weakAugment } = await importBuild('weakAugment');
const { strongAugment } = await importBuild('strongAugment');

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
report(
  {
    bench: 'augment-speed',
    backend: choice.name,
    batch: { clips, labelled, frames, size },
    msWeakUnlabelled: weakUnlabelled,
    msStrongUnlabelled: strongUnlabelled,
    msWeakLabelled: weakLabelled,
    msPerTrainingStep: weakUnlabelled + strongUnlabelled + weakLabelled,
    tensorsBefore,
    tensorsAfter: tf.memory().numTensors,
  },
  { backend: choice.name },
);
