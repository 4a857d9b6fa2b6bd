#!/usr/bin/env node
/**
 * Does the review loop save labels? The digit-motion benchmark (bench/digits) with a simulated
 * person who knows the ground truth: start from K labels per class, then for R rounds ask
 * `vssl review next` for the N clips a strategy picks, answer them as the truth says (accept
 * when the prediction is right, correct it otherwise) through `vssl review apply`, train the next
 * round and score the held-out test videos. Each strategy gets its own project with the same start.
 * With --warm (the default) round 0 trains with --method and every later round is
 * `vssl train --next-round`: the same method and settings, from the previous round's weights.
 * Each seed (--seeds) is its own data set and training seed. Prints one JSON line per round, then
 * per seed and over the seeds the labels each strategy saves against random at equal accuracy.
 *
 *   npm run build:main && node bench/active-learning.mjs [--strategies badge,random] [--seeds 1,2,3]
 *     [--labels-per-class 10] [--rounds 5] [--per-round 50] [--method supervised] [--epochs 40] [--cold]
 *     [--size 32] [--frames 8] [--width 16] [--mu 7] [--mc-passes 10] [--train 1000] [--test 500] [--nuisance full|low] [--dir DIR] [--smoke]
 * `node bench/active-learning.mjs --summarise A.jsonl B.jsonl …` prints the over-seeds summary of runs made one seed per process.
 * --cold: every round trains from fresh weights with `vssl train` (as before rounds warm-started).
 * --smoke: BADGE alone with FixMatch, 20 pool + 10 test videos, 1 label a class, one round of 5 picks, 1 epoch at
 * 4×16×16, width 4, μ 1, no MC passes. Every row carries the machine record (bench/lib/machine.mjs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDigitVideos } from './digits/generate.mjs';
import { makeDigitProject, scoreOnTest } from './digits/project.mjs';
import { pickLabelled, readTruth } from './digits/truth.mjs';
import { argsWithoutSmoke, report, round, SMOKE } from './lib/harness.mjs';
import { requireCommands, vsslJson } from './lib/vssl-cli.mjs';

const STRATEGIES = ['least-confidence', 'margin', 'entropy', 'mc-std', 'bald', 'badge', 'random', 'confident'];

function parseArgs(argv) {
  const o = {
    strategies: ['least-confidence', 'random'], labelsPerClass: 10, rounds: 5, perRound: 50, method: 'supervised',
    epochs: 40, size: 32, frames: 8, width: 16, mu: 7, mcPasses: 10, seeds: [1], train: 1000, test: 500, nuisance: 'full', dir: null, warm: true,
    ...(SMOKE ? { strategies: ['badge'], method: 'fixmatch', labelsPerClass: 1, rounds: 1, perRound: 5, epochs: 1, size: 16, frames: 4,
      width: 4, mu: 1, mcPasses: 0, train: 20, test: 10, nuisance: 'low' } : {}),
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [arg, value] = [argv[i], argv[i + 1]];
    if (arg === '--cold') {
      o.warm = false;
      i--;
      continue;
    }
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--strategies') {
      o.strategies = value.split(',');
      const unknown = o.strategies.filter((s) => !STRATEGIES.includes(s));
      if (unknown.length > 0) usage(`unknown strategy ${unknown.join(', ')} (there are ${STRATEGIES.join(', ')})`);
    } else if (arg === '--method') o.method = value;
    else if (arg === '--dir') o.dir = path.resolve(value);
    else if (arg === '--seeds' || arg === '--seed') {
      o.seeds = value.split(',').map(Number);
      if (o.seeds.some((n) => !Number.isInteger(n) || n < 0)) usage(`${arg} takes whole numbers, not ${JSON.stringify(value)}`);
    } else if (arg === '--nuisance') {
      if (!['full', 'low'].includes(value)) usage('--nuisance is full or low');
      o.nuisance = value;
    } else {
      const key = { '--labels-per-class': 'labelsPerClass', '--rounds': 'rounds', '--per-round': 'perRound',
        '--epochs': 'epochs', '--size': 'size', '--frames': 'frames', '--width': 'width', '--mu': 'mu', '--mc-passes': 'mcPasses', '--train': 'train',
        '--test': 'test' }[arg];
      if (!key) usage(`unknown option ${arg}`);
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) usage(`${arg} takes a whole number, not ${JSON.stringify(value)}`);
      o[key] = n;
    }
  }
  return o;
}

function usage(message) {
  console.error(`bench: ${message}\nusage: node bench/active-learning.mjs [--strategies a,b] [--labels-per-class K] ` +
    '[--rounds R] [--per-round N] [--method M] [--epochs E] [--cold] [--size S] [--frames T] [--width W] [--mu M] [--mc-passes N] [--seeds 1,2,3] ' +
    '[--train N] [--test N] [--nuisance full|low] [--dir DIR] [--smoke]');
  process.exit(2);
}

/** The oracle's answers to the picked clips, as the CSV `vssl review apply` reads. */
function oracleAnswers(picked, truthByPath) {
  const lines = ['path,start,end,action,label'];
  let corrected = 0;
  for (const item of picked) {
    const truth = truthByPath.get(path.resolve(item.path));
    if (!truth) throw new Error(`bench: the queue offered ${item.path}, which is not in train.csv`);
    const right = item.predicted === truth.label;
    if (!right) corrected++;
    lines.push([item.path, item.start, item.end, right ? 'accept' : 'correct', right ? '' : truth.label].join(','));
  }
  return { csv: `${lines.join('\n')}\n`, corrected };
}

/** Labels `curve` needs to reach `accuracy`, interpolating between rounds (null: it never does). */
function labelsToReach(curve, accuracy) {
  for (let i = 0; i < curve.length; i++) {
    const point = curve[i];
    if (point.testAccuracy < accuracy) continue;
    const before = curve[i - 1];
    if (!before) return point.labels;
    const t = (accuracy - before.testAccuracy) / (point.testAccuracy - before.testAccuracy);
    return round(before.labels + t * (point.labels - before.labels));
  }
  return null;
}

/** Round r's run: round 0 from scratch, later ones the next round of the previous run (warm) or from scratch again (cold). */
function trainArgs(options, seed, project, strategy, r, previousRunId) {
  const name = `${strategy} round ${r}`;
  if (options.warm && previousRunId !== null) return ['train', project, '--next-round', String(previousRunId), '--name', name];
  return ['train', project, '--method', options.method, '--epochs', String(options.epochs), '--no-flip', '--seed', String(seed),
    '--frames', String(options.frames), '--size', String(options.size), '--width', String(options.width), '--mu', String(options.mu),
    '--mc-passes', String(options.mcPasses), '--name', name];
}

async function runStrategy(strategy, ctx) {
  const { options, seed, root, dataDir, initial, trainTruth, testTruth } = ctx;
  const truthByPath = new Map(trainTruth.map((row) => [row.path, row]));
  const { project } = await makeDigitProject(root, dataDir, initial, `al-${strategy}`);
  const curve = [];
  let labels = initial.length;
  let previousRunId = null;
  for (let r = 0; r <= options.rounds; r++) {
    const start = performance.now();
    const run = await vsslJson(trainArgs(options, seed, project, strategy, r, previousRunId));
    previousRunId = run.runId;
    const trainSec = (performance.now() - start) / 1000;
    const score = await scoreOnTest(project, run.runId, path.join(root, 'models', `${strategy}-round${r}`), testTruth);
    const point = {
      bench: 'active-learning', strategy, seed, round: r, labels, runId: run.runId, backend: run.backend, testAccuracy: round(100 * score.testAccuracy),
      validationAccuracy: run.metrics?.validationAccuracy ?? null, trainSec: round(trainSec), method: options.method,
      warm: options.warm && r > 0, epochs: options.epochs, size: options.size, frames: options.frames, nuisance: options.nuisance,
    };
    if (r < options.rounds) {
      const next = await vsslJson(['review', 'next', project, '--run', String(run.runId), '--strategy', strategy,
        '--count', String(options.perRound)]);
      const { csv, corrected } = oracleAnswers(next.items, truthByPath);
      const answers = path.join(root, `${strategy}-round${r}-answers.csv`);
      fs.writeFileSync(answers, csv);
      const applied = await vsslJson(['review', 'apply', project, answers, '--run', String(run.runId)]);
      if (applied.applied !== next.items.length) {
        throw new Error(`bench: review apply took ${applied.applied} of ${next.items.length} answers: ${JSON.stringify(applied.skipped)}`);
      }
      point.picked = next.items.length;
      point.pickedWrong = corrected;
      labels += next.items.length;
    }
    curve.push(point);
    report(point, { backend: run.backend, pretty: false });
  }
  return curve;
}

/**
 * Labels saved, both ways round: what random needs for the strategy's final accuracy (null when it never
 * gets there, i.e. more than it was given), and what the strategy needs for random's final accuracy.
 */
function savings(curves) {
  const random = curves.random;
  return Object.entries(curves).map(([strategy, curve]) => {
    const last = curve[curve.length - 1];
    if (!random || strategy === 'random') return { strategy, finalLabels: last.labels, finalAccuracy: last.testAccuracy };
    const randomLast = random[random.length - 1];
    const randomNeeds = labelsToReach(random, last.testAccuracy);
    const strategyNeeds = labelsToReach(curve, randomLast.testAccuracy);
    return {
      strategy, finalLabels: last.labels, finalAccuracy: last.testAccuracy,
      randomLabelsForSameAccuracy: randomNeeds,
      labelsForRandomFinalAccuracy: strategyNeeds,
      labelsSavedAtRandomFinal: strategyNeeds === null ? null : round(randomLast.labels - strategyNeeds),
      // Random's labels spent beyond the start, and the share of them (%) the strategy did without.
      savedPercent: strategyNeeds === null ? null : round((100 * (randomLast.labels - strategyNeeds)) / (randomLast.labels - curve[0].labels)),
    };
  });
}

async function runSeed(options, seed, root) {
  const dataDir = path.join(root, `data-seed${seed}`);
  await generateDigitVideos(
    { out: dataDir, train: options.train, test: options.test, seed, nuisance: options.nuisance },
    { onProgress: (done, total) => done % 250 === 0 && process.stderr.write(`bench: generated ${done}/${total} videos\n`) },
  );
  const trainTruth = readTruth(path.join(dataDir, 'train.csv'));
  const testTruth = readTruth(path.join(dataDir, 'test.csv'));
  const ctx = { options, seed, root, dataDir, initial: pickLabelled(trainTruth, options.labelsPerClass), trainTruth, testTruth };
  // The strategies run side by side: each training is its own `vssl` process, so two use both cores.
  return Object.fromEntries(await Promise.all(options.strategies.map(async (strategy) => [strategy, await runStrategy(strategy, ctx)])));
}

/** Over the seeds: the mean accuracy curves, the labels saved at random's final accuracy per seed, and their mean. */
function overSeeds(perSeed, strategies) {
  const rows = strategies.map((strategy) => {
    const saved = perSeed.map((s) => s.summary.find((x) => x.strategy === strategy)?.labelsSavedAtRandomFinal).filter((v) => typeof v === 'number');
    const shares = perSeed.map((s) => s.summary.find((x) => x.strategy === strategy)?.savedPercent).filter((v) => typeof v === 'number');
    const curves = perSeed.map((s) => s.curves[strategy]);
    // Rounds every seed got to (a summarised run may have stopped early).
    const rounds = Math.min(...curves.map((c) => c.length));
    const meanCurve = curves[0].slice(0, rounds).map((point, i) => ({ labels: point.labels, testAccuracy: round(curves.reduce((sum, c) => sum + c[i].testAccuracy, 0) / curves.length) }));
    const complete = saved.length === perSeed.length;
    return {
      strategy, meanCurve, labelsSavedAtRandomFinal: saved, seedsWhereItReaches: saved.length,
      meanSaved: complete ? round(saved.reduce((a, b) => a + b, 0) / saved.length) : null,
      meanSavedPercent: complete ? round(shares.reduce((a, b) => a + b, 0) / shares.length) : null,
    };
  });
  const meanCurves = Object.fromEntries(rows.map((s) => [s.strategy, s.meanCurve]));
  return { seeds: perSeed.map((s) => s.seed), strategies: rows, meanCurveSavings: meanCurves.random ? savings(meanCurves) : null };
}

/** `--summarise A.jsonl B.jsonl …`: the over-seeds summary of runs made one seed per process. */
function summariseFiles(files) {
  const bySeed = new Map();
  for (const file of files) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim().startsWith('{')) continue;
      const row = JSON.parse(line);
      if (row.bench !== 'active-learning') continue;
      const curves = bySeed.get(row.seed) ?? {};
      (curves[row.strategy] ??= []).push(row);
      bySeed.set(row.seed, curves);
    }
  }
  // Compare at the rounds both strategies of a seed got to.
  const even = (curves) => {
    const rounds = Math.min(...Object.values(curves).map((c) => c.length));
    return Object.fromEntries(Object.entries(curves).map(([k, c]) => [k, c.sort((a, b) => a.round - b.round).slice(0, rounds)]));
  };
  const perSeed = [...bySeed].sort(([a], [b]) => a - b).map(([seed, curves]) => ({ seed, curves: even(curves), summary: savings(even(curves)) }));
  if (perSeed.length === 0) usage('no active-learning rows in the files');
  const strategies = Object.keys(perSeed[0].curves);
  for (const s of perSeed) report({ bench: 'active-learning-summary', seed: s.seed, summary: s.summary }, { backend: null, pretty: false });
  report({ bench: 'active-learning-over-seeds', files, ...overSeeds(perSeed, strategies) }, { backend: null, pretty: false });
}

const argv = argsWithoutSmoke();
if (argv[0] === '--summarise') {
  summariseFiles(argv.slice(1));
  process.exit(0);
}
const options = parseArgs(argv);
await requireCommands(['init', 'import', 'labels', 'train', 'model', 'review']);
const root = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-active-learning-'));
const perSeed = [];
for (const seed of options.seeds) {
  const curves = await runSeed(options, seed, root);
  const summary = savings(curves);
  perSeed.push({ seed, curves, summary });
  report({ bench: 'active-learning-summary', seed, method: options.method, warm: options.warm, summary },
    { backend: Object.values(curves)[0]?.[0]?.backend ?? null, pretty: false });
}
report({ bench: 'active-learning-over-seeds', method: options.method, warm: options.warm, ...overSeeds(perSeed, options.strategies) },
  { backend: null, pretty: false });
if (!options.dir) fs.rmSync(root, { recursive: true, force: true });
