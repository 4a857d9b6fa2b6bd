#!/usr/bin/env node
/**
 * An image teacher for VideoSSL on the digit-motion benchmark: a small 2D CNN (teacher-model.mjs) that tells which
 * digit (0–9) a single frame shows, the way VideoSSL's paper uses an ImageNet classifier. It
 * trains on frames rendered like the benchmark's clips (same renderer and nuisance) from MNIST's
 * *training* digits on a seed stream of its own, and is scored on frames from MNIST's *test*
 * digits. Saves a TF.js layers model (input [N, size, size, 3] floats 0..1, softmax over 10
 * digits) into DIR with the app's saveModel, writes DIR/teacher.json, then reloads DIR with the
 * app's loadImageTeacher and checks teacherFeatures on held-out frames. Prints one JSON line.
 *
 *   npm run build:main && node bench/digits/teacher.mjs --out DIR [--images 12000] [--epochs 3]
 *     [--size 32] [--nuisance low|full] [--seed 7] [--render 64] [--held-out 2000]
 * --render: the side frames are drawn at before the area downscale to --size (the benchmark's
 * videos are 64×64 and the app decodes them at the run's size). VSSL_BUILD: the build to use
 * (default out/main). --smoke: 64 frames at 8 px, 16 held out, one epoch (seconds); it checks that the
 * saved folder loads as a teacher, not that so short a training names the digits.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { importBuild } from '../lib/build.mjs';
import { argsWithoutSmoke, report, SMOKE } from '../lib/harness.mjs';
import { loadMnist } from './mnist.mjs';
import { renderTeacherFrames } from './teacher-frames.mjs';
import { buildTeacherModel } from './teacher-model.mjs';

const DIGITS = 10;
const BATCH = 64;

function parseArgs(argv) {
  const o = { out: null, images: 12000, epochs: 3, size: 32, nuisance: 'low', seed: 7, render: 64, heldOut: 2000,
    ...(SMOKE ? { images: 64, epochs: 1, size: 8, render: 16, heldOut: 16 } : {}) };
  const numeric = { '--images': 'images', '--epochs': 'epochs', '--size': 'size', '--seed': 'seed', '--render': 'render', '--held-out': 'heldOut' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[++i];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--out') o.out = path.resolve(value);
    else if (arg === '--nuisance') {
      if (!['low', 'full'].includes(value)) usage('--nuisance is low or full');
      o.nuisance = value;
    } else if (numeric[arg]) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) usage(`${arg} takes a whole number, not ${JSON.stringify(value)}`);
      o[numeric[arg]] = n;
    } else usage(`unknown option ${arg}`);
  }
  if (!o.out) usage('--out DIR is required');
  if (o.images < BATCH) usage(`--images must be at least ${BATCH}`);
  if (o.epochs < 1) usage('--epochs must be at least 1');
  if (o.heldOut < 1) usage('--held-out must be at least 1');
  if (o.size < 8 || o.size % 8 !== 0) usage('--size must be a multiple of 8 (the network halves it three times)');
  if (o.render < o.size || o.render % o.size !== 0) usage(`--render (${o.render}) must be a whole multiple of --size (${o.size})`);
  return o;
}

function usage(message) {
  console.error(`teacher: ${message}\nusage: node bench/digits/teacher.mjs --out DIR [--images N] [--epochs N] [--size S] ` +
    '[--nuisance low|full] [--seed N] [--render R] [--held-out N] [--smoke]');
  process.exit(2);
}

function toTensors({ images, digits }, size) {
  return {
    x: tf.tensor4d(images, [digits.length, size, size, 3]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(digits), 'int32'), DIGITS).toFloat()),
  };
}

/** Share of frames whose most probable digit is the true one. */
function accuracyOf(probabilities, digits) {
  const predicted = tf.tidy(() => probabilities.argMax(1).dataSync());
  let right = 0;
  predicted.forEach((p, i) => (right += p === digits[i] ? 1 : 0));
  return right / digits.length;
}

function predictInBatches(model, x) {
  return tf.tidy(() => {
    const parts = [];
    for (let start = 0; start < x.shape[0]; start += 256) {
      const end = Math.min(start + 256, x.shape[0]);
      parts.push(model.predict(x.slice(start, end - start)));
    }
    return tf.concat(parts, 0);
  });
}

const round = (v, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

async function main() {
  const o = parseArgs(argsWithoutSmoke());
  const { selectBackend } = await importBuild('selectBackend');
  const { saveModel } = await importBuild('modelIo');
  const { FastBatchNorm } = await importBuild('fastBatchNorm');
  const { loadImageTeacher, teacherFeatures } = await importBuild('imageTeacher');
  const backend = await selectBackend();
  const start = performance.now();

  const frameOptions = { size: o.size, render: o.render, nuisance: o.nuisance, seed: o.seed };
  const trainFrames = renderTeacherFrames({ ...frameOptions, mnist: loadMnist('train'), count: o.images, stream: 'train' });
  const heldOutFrames = renderTeacherFrames({ ...frameOptions, mnist: loadMnist('test'), count: o.heldOut, stream: 'held-out' });
  const renderSec = (performance.now() - start) / 1000;
  process.stderr.write(`teacher: rendered ${o.images} + ${o.heldOut} frames in ${round(renderSec, 1)} s on ${backend.name}\n`);

  const tensorsBefore = tf.memory().numTensors;
  const model = buildTeacherModel(o.size, FastBatchNorm);
  const optimizer = tf.train.adam(2e-3);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const train = toTensors(trainFrames, o.size);
  const heldOut = toTensors(heldOutFrames, o.size);
  await model.fit(train.x, train.y, {
    batchSize: BATCH, epochs: o.epochs, shuffle: true, verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) => process.stderr.write(
        `teacher: epoch ${epoch + 1}/${o.epochs} loss ${round(logs.loss)} train accuracy ${round(logs.acc ?? logs.accuracy)} ` +
        `(${round((performance.now() - start) / 1000, 1)} s)\n`),
    },
  });
  const heldOutProbabilities = predictInBatches(model, heldOut.x);
  const heldOutAccuracy = accuracyOf(heldOutProbabilities, heldOutFrames.digits);
  heldOutProbabilities.dispose();
  fs.mkdirSync(o.out, { recursive: true });
  await saveModel(model, o.out);
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([train.x, train.y, model]);
  optimizer.dispose(); // the model does not own an optimizer it was given

  // The check the app will make: the saved folder loads as a teacher and names the digits.
  const teacher = await loadImageTeacher(o.out);
  const features = teacherFeatures(teacher, heldOut.x);
  const check = {
    input: [teacher.height, teacher.width, teacher.channels], dim: teacher.dim,
    accuracy: round(accuracyOf(features, heldOutFrames.digits)),
    rowSumsToOne: tf.tidy(() => features.sum(1).sub(1).abs().max().dataSync()[0] < 1e-4),
  };
  tf.dispose([features, heldOut.x, heldOut.y]);
  teacher.model.dispose();
  const leakedTensors = tf.memory().numTensors - tensorsBefore;

  const result = {
    images: o.images, epochs: o.epochs, size: o.size, nuisance: o.nuisance, heldOutAccuracy: round(heldOutAccuracy),
    seconds: round(seconds, 1),
  };
  fs.writeFileSync(path.join(o.out, 'teacher.json'), `${JSON.stringify(result, null, 2)}\n`);
  report({
    bench: 'teacher', ...result, out: o.out, seed: o.seed, render: o.render, heldOut: o.heldOut, backend: backend.name,
    renderSec: round(renderSec, 1), loadCheck: check, leakedTensors,
  }, { backend: backend.name, pretty: false });
  // A smoke-sized teacher is too small to learn the digits: there only the loading and the probabilities are checked.
  if ((!SMOKE && check.accuracy < 0.25) || !check.rowSumsToOne) {
    console.error('teacher: the saved teacher, loaded back, does not name the digits (see loadCheck)');
    process.exit(1);
  }
}

await main();
