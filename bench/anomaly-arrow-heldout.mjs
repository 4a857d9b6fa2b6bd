#!/usr/bin/env node
/**
 * The arrow-of-time head's held-out accuracy on real footage, for tubes cut with the middle frame's box
 * against tubes that follow their object (issue 22). OpenCV's pedestrians (vtest.avi, 10 fps): the app's
 * training tubes (collectNormalTubes, 19-frame source tubes) are cut from the first half of the first
 * `--frames` frames and a model is trained on them with the app's step (all three SSMTL tasks, the app's
 * augmentation); the second half is cut into 7-frame tubes the way scoring cuts them, and each is shown to
 * the arrow head forwards and reversed. Accuracy = share of the two right; both modes train and test on
 * their own kind of tube, with the same seeds.
 *
 *   npm run build:main && node bench/anomaly-arrow-heldout.mjs [--frames 400] [--epochs 8] [--size 32] [--width 16]
 *     [--max-tubes 512] [--batch-size 16] [--stride 2] [--long-side 320] [--seeds 1,2] [--modes middle,follow] [--video FILE]
 *   --smoke: 96 px frames, 60 frames, 1 epoch of a tiny model (synthetic walkers when no pedestrian footage is cached).
 *
 * Prints one JSON object with the machine record (bench/lib/machine.mjs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { encodeVideo } from './digits/encode.mjs';
import { cachedPedestrianFootage, syntheticFootage } from './anomaly/footage.mjs';
import { importBuild, importTfjs } from './lib/build.mjs';
import { argsWithoutSmoke, findFfmpeg, report, ROOT, SMOKE } from './lib/harness.mjs';

const { values } = parseArgs({
  args: argsWithoutSmoke(),
  options: {
    frames: { type: 'string', default: SMOKE ? '60' : '400' },
    epochs: { type: 'string', default: SMOKE ? '1' : '8' },
    size: { type: 'string', default: SMOKE ? '16' : '32' },
    width: { type: 'string', default: SMOKE ? '4' : '16' },
    'max-tubes': { type: 'string', default: SMOKE ? '32' : '512' },
    'batch-size': { type: 'string', default: SMOKE ? '8' : '16' },
    stride: { type: 'string', default: '2' },
    'long-side': { type: 'string', default: SMOKE ? '96' : '320' },
    seeds: { type: 'string', default: SMOKE ? '1' : '1,2' },
    modes: { type: 'string', default: 'middle,follow' },
    video: { type: 'string' },
  },
});

function whole(name, min) {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`bench: --${name} must be a whole number ≥ ${min}, got ${values[name]}`);
    process.exit(2);
  }
  return value;
}

const o = {
  frames: whole('frames', 60),
  epochs: whole('epochs', 1),
  size: whole('size', 8),
  width: whole('width', 1),
  maxTubes: whole('max-tubes', 1),
  batchSize: whole('batch-size', 2),
  stride: whole('stride', 1),
  longSide: whole('long-side', 32),
  seeds: values.seeds.split(',').map(Number),
  modes: values.modes.split(','),
};
const MODES = { middle: { follow: false }, follow: {} };
for (const mode of o.modes) {
  if (!(mode in MODES)) {
    console.error(`bench: --modes takes middle and/or follow, got ${mode}`);
    process.exit(2);
  }
}
if (o.seeds.some((s) => !Number.isInteger(s))) {
  console.error(`bench: --seeds must be whole numbers, got ${values.seeds}`);
  process.exit(2);
}

const tf = await importTfjs();
const { selectBackend } = await importBuild('selectBackend');
const { Rng } = await importBuild('random');
const { collectNormalTubes, normalTubeBatch } = await importBuild('normalTubes');
const { buildAnomalyModel } = await importBuild('anomalyModel');
const { anomalyTrainStep, createAnomalyOptimizer } = await importBuild('anomalyTrainStep');
const { arrowOfTimeSamples, buildTaskSamples, disposeTaskSamples } = await importBuild('taskSamples');
const { encode, runHead } = await importBuild('anomalyForward');
const { drawTubeAugments } = await importBuild('tubeAugment');
const { shuffledTubeBatches } = await importBuild('tubeBatches');
const backend = await selectBackend();

/** The footage file: --video, the pedestrians where this machine has them, else (smoke) synthetic walkers encoded once. */
async function footage() {
  if (values.video) return { file: values.video, source: values.video };
  const known = ['/tmp/ocv/x/usr/share/doc/opencv-doc/examples/data/vtest.avi', cachedPedestrianFootage(path.join(ROOT, 'bench', '.data'))];
  const found = known.find((f) => f && fs.existsSync(f));
  if (found) return { file: found, source: found };
  if (!SMOKE) throw new Error('bench: no pedestrian footage found; pass --video vtest.avi (or run bench/anomaly-footage.mjs once to fetch it)');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-arrow-')), 'walkers.mp4');
  await encodeVideo(await findFfmpeg(), file, syntheticFootage({ width: 96, height: 72, frames: o.frames }), { width: 96, height: 72, fps: 10 });
  return { file, source: 'synthetic walkers' };
}

/** Trains a fresh model on `tubes` for the epochs asked, the app's way; returns it. */
async function train(tubes, seed) {
  const rng = new Rng(seed);
  const model = buildAnomalyModel({ size: o.size, channels: 3, width: o.width, depth: 3, teacherDim: 0 }, { seed: rng.seed() });
  const optimizer = createAnomalyOptimizer();
  const epochs = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    let correct = 0;
    let seen = 0;
    for (const indices of shuffledTubeBatches(rng, tubes.tubes.length, o.batchSize)) {
      const source = normalTubeBatch(tubes, indices, drawTubeAugments(rng, indices.length, tubes.size));
      try {
        const samples = buildTaskSamples(source, rng);
        try {
          const step = await anomalyTrainStep({ model, optimizer, samples });
          correct += step.arrowAccuracy * indices.length;
          seen += indices.length;
        } finally {
          disposeTaskSamples(samples);
        }
      } finally {
        source.dispose();
      }
    }
    epochs.push(Math.round((correct / seen) * 1000) / 1000);
  }
  optimizer.dispose();
  return { model, trainArrowAccuracy: epochs };
}

/** Share of held-out tubes the arrow head calls right, shown forwards and shown reversed. */
async function arrowAccuracy(model, tubes) {
  let forward = 0;
  let reversed = 0;
  const count = tubes.tubes.length;
  for (let start = 0; start < count; start += 64) {
    const indices = Array.from({ length: Math.min(64, count - start) }, (_, k) => start + k);
    const calls = tf.tidy(() => {
      const batch = normalTubeBatch(tubes, indices);
      const both = [false, true].map((r) => arrowOfTimeSamples(batch, indices.map(() => ({ reversed: r }))).input);
      const logits = runHead(model, 'arrow', encode(model, tf.concat(both, 0), false), false);
      return logits.argMax(-1);
    });
    const said = await calls.data();
    calls.dispose();
    indices.forEach((_, k) => {
      forward += said[k] === 0 ? 1 : 0;
      reversed += said[indices.length + k] === 1 ? 1 : 0;
    });
  }
  const r3 = (v) => Math.round(v * 1000) / 1000;
  return { tubes: count, forward: r3(forward / count), reversed: r3(reversed / count), accuracy: r3((forward + reversed) / (2 * count)) };
}

const { file, source } = await footage();
const half = Math.floor(o.frames / 2);
const tubeOptions = { size: o.size, channels: 3, stride: o.stride, longSide: o.longSide };
const rows = [];
const began = performance.now();
for (const mode of o.modes) {
  const regions = MODES[mode];
  for (const seed of o.seeds) {
    const t0 = performance.now();
    const trainTubes = await collectNormalTubes([{ file, startFrame: 0, endFrame: half }], { ...tubeOptions, regions, maxTubes: o.maxTubes, seed: seed + 1 });
    // Held out: 7-frame tubes as scoring cuts them (objects found and followed within the window).
    const testTubes = await collectNormalTubes([{ file, startFrame: half, endFrame: o.frames }], { ...tubeOptions, regions, maxTubes: 100_000, seed, sourceFrames: 7 });
    const before = tf.memory().numTensors;
    const { model, trainArrowAccuracy } = await train(trainTubes, seed);
    const heldOut = await arrowAccuracy(model, testTubes);
    model.dispose();
    const leaked = tf.memory().numTensors - before;
    rows.push({
      mode,
      seed,
      trainTubes: { kept: trainTubes.tubes.length, seen: trainTubes.seen, windows: trainTubes.windows, follow: trainTubes.follow },
      testFollow: testTubes.follow,
      trainArrowAccuracy,
      heldOut,
      seconds: Math.round((performance.now() - t0) / 100) / 10,
      ...(leaked !== 0 ? { leakedTensors: leaked } : {}),
    });
    console.error(`bench: ${mode} seed ${seed}: held-out arrow accuracy ${heldOut.accuracy} (forward ${heldOut.forward}, reversed ${heldOut.reversed}) on ${heldOut.tubes} tubes`);
  }
}
const mean = (xs) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000;
report({
  benchmark: 'anomaly-arrow-heldout',
  footage: source,
  settings: { ...o, trainFrames: [0, half], testFrames: [half, o.frames] },
  rows,
  summary: Object.fromEntries(o.modes.map((m) => [m, mean(rows.filter((r) => r.mode === m).map((r) => r.heldOut.accuracy))])),
  seconds: Math.round((performance.now() - began) / 1000),
}, { backend: backend.name });
