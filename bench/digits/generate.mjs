#!/usr/bin/env node
/**
 * The digit-motion video benchmark: MNIST digits moving in one of ten patterns (see
 * motion-classes.mjs), one two-second H.264 clip per file (the project's default segmentation
 * window, so one video = one clip). Deterministic by seed. Writes
 *   OUT/train/clip-NNNNN.mp4   the pool (labelled + unlabelled), digits from MNIST's training set
 *   OUT/test/clip-NNNNN.mp4    held out, digits from MNIST's test set (other writers)
 *   OUT/train.csv, OUT/test.csv  ground truth in VSSL's label CSV (path,start,end,label)
 *   OUT/dataset.json           the options, class names and counts
 *
 *   node bench/digits/generate.mjs --out DIR [--train 1000] [--test 500] [--seed 1]
 *        [--size 64] [--fps 12] [--seconds 2] [--nuisance full|medium|low]
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findFfmpeg } from '../lib/harness.mjs';
import { describeClip, renderClip } from './clip.mjs';
import { encodeVideo } from './encode.mjs';
import { loadMnist } from './mnist.mjs';
import { classNames } from './motion-classes.mjs';
import { Rng, clipSeed } from './rng.mjs';

export const GENERATOR_VERSION = 1;

export const defaultDigitOptions = { train: 1000, test: 500, seed: 1, size: 64, fps: 12, seconds: 2, nuisance: 'full' };

function clipName(index) {
  return `clip-${String(index).padStart(5, '0')}.mp4`;
}

/** Balanced classes in an order the seed shuffles, so a file's name says nothing of its class. */
function classOrder(seed, set, count) {
  const order = Array.from({ length: count }, (_, i) => i % classNames.length);
  return new Rng(clipSeed(seed, set, 0x7fffffff)).shuffle(order);
}

function csvFor(set, labels, seconds) {
  const rows = labels.map((label, i) => `${set}/${clipName(i)},0,${seconds},${label}`);
  return `path,start,end,label\n${rows.join('\n')}\n`;
}

/**
 * Generates the data set into `out` (reused as is when dataset.json records the same options
 * and every file is there). Returns the manifest.
 */
export async function generateDigitVideos(options, { onProgress, concurrency = 2 } = {}) {
  const o = { ...defaultDigitOptions, ...options };
  const frames = Math.round(o.fps * o.seconds);
  if (o.size % 2 !== 0 || o.size < 16) throw new Error('digits: --size must be an even number ≥ 16 (H.264 4:2:0)');
  if (!(frames >= 2) || Math.abs(frames - o.fps * o.seconds) > 1e-9) {
    throw new Error('digits: fps × seconds must be a whole number of frames (at least 2)');
  }
  const out = path.resolve(o.out);
  const manifestFile = path.join(out, 'dataset.json');
  const wanted = {
    generator: GENERATOR_VERSION, seed: o.seed, size: o.size, fps: o.fps, seconds: o.seconds, frames,
    classes: classNames, counts: { train: o.train, test: o.test },
    ...(o.nuisance === 'full' ? {} : { nuisance: o.nuisance }),
  };
  if (!['full', 'medium', 'low'].includes(o.nuisance)) throw new Error('digits: --nuisance is full, medium or low');
  if (fs.existsSync(manifestFile)) {
    const existing = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const complete = ['train', 'test'].every((set) =>
      Array.from({ length: o[set] }, (_, i) => path.join(out, set, clipName(i))).every((f) => fs.existsSync(f)));
    if (JSON.stringify(existing.options) === JSON.stringify(wanted) && complete) return existing;
  }
  fs.mkdirSync(out, { recursive: true });
  fs.rmSync(manifestFile, { force: true });
  const ffmpeg = o.ffmpeg ?? (await findFfmpeg());
  const jobs = [];
  const labels = {};
  for (const set of ['train', 'test']) {
    fs.mkdirSync(path.join(out, set), { recursive: true });
    const order = classOrder(o.seed, set, o[set]);
    labels[set] = order.map((c) => classNames[c]);
    order.forEach((classIndex, i) => jobs.push({ set, i, classIndex }));
  }
  const mnist = { train: loadMnist('train'), test: loadMnist('test') };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { set, i, classIndex } = jobs[next++];
      const clip = describeClip(clipSeed(o.seed, set, i), classIndex, mnist[set], o.nuisance);
      const file = path.join(out, set, clipName(i));
      const tmp = `${file}.tmp.mp4`;
      await encodeVideo(ffmpeg, tmp, renderClip(clip, mnist[set], { side: o.size, fps: o.fps, frames }), { side: o.size, fps: o.fps });
      fs.renameSync(tmp, file);
      onProgress?.(++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  for (const set of ['train', 'test']) fs.writeFileSync(path.join(out, `${set}.csv`), csvFor(set, labels[set], o.seconds));
  const manifest = {
    options: wanted,
    note: 'Classes are motion patterns; mirror images swap classes, so train with flips off (--no-flip).',
    files: { train: 'train.csv', test: 'test.csv' },
  };
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[++i];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--out') options.out = value;
    else if (arg === '--nuisance') options.nuisance = value;
    else if (['--train', '--test', '--seed', '--size', '--fps', '--seconds'].includes(arg)) {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) usage(`${arg} must be a non-negative number`);
      options[arg.slice(2)] = n;
    } else usage(`unknown option ${arg}`);
  }
  if (!options.out) usage('--out DIR is required');
  return options;
}

function usage(message) {
  console.error(`digits: ${message}\nusage: node bench/digits/generate.mjs --out DIR [--train N] [--test N] [--seed N] [--size S] [--fps F] [--seconds S] [--nuisance full|medium|low]`);
  process.exit(2);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const options = parseArgs(process.argv.slice(2));
  const start = performance.now();
  const manifest = await generateDigitVideos(options, {
    onProgress: (done, total) => {
      if (done % 100 === 0 || done === total) process.stderr.write(`digits: ${done}/${total}\n`);
    },
  });
  const seconds = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ out: path.resolve(options.out), ...manifest.options, generateSec: Math.round(seconds * 10) / 10 }));
}
