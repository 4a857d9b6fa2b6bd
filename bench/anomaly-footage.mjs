#!/usr/bin/env node
/**
 * Anomaly detection on real footage. OpenCV's pedestrian sample (bench/anomaly/footage.mjs) makes three
 * benchmarks (bench/anomaly/benchmarks.mjs): `vtest` (10 fps, trains on the first 40 s, anomalies in the
 * rest), `vtest-25fps` (the same at 25 fps, motion-interpolated, anomalies defined in seconds) and
 * `vtest-mirrored` (mirrored and cropped, trains on the *last* 40 s, anomalies at other places and lengths).
 * Into each held-out part the benchmark injects anomalies (reversed, faster, frozen, a fast foreign object)
 * in two layouts, each scored and evaluated on its own: one kind per test video, and two test videos that
 * each hold all four. Every benchmark is trained once per seed. The app trains and scores through the real
 * CLI (`vssl anomaly train|score|eval`), the per-task curves come from the API of `vssl serve`; a
 * frame-difference baseline is scored on the same frames. Prints JSON, with one table over benchmarks,
 * layouts and seeds (`table`, and `tableMarkdown`, also printed on stderr).
 *
 *   npm run build:main && node bench/anomaly-footage.mjs [--benchmarks vtest,vtest-25fps,vtest-mirrored] [--seeds 1,2,3]
 *     [--epochs N] [--size S] [--width W] [--video vtest.avi] [--dir DIR] [--frame-width 384] [--extra "--flag value ..."]
 *     (the app's defaults where not given; every benchmark, and seed 1, the app's default, when not named)
 *   node bench/anomaly-footage.mjs --rescore DIR   # score DIR's test videos again with its runs (speed on a quiet machine)
 *   node bench/anomaly-footage.mjs --reuse DIR     # make the test videos again, score and evaluate them with DIR's runs
 *                                                  # (training only the benchmark/seed runs DIR lacks)
 *   node bench/anomaly-footage.mjs --reuse DIR --scored   # the same, reading the curves of the layouts DIR's runs
 *                                                  # already scored instead of scoring them again (a run cut short)
 *
 * DIR holds DIR/<benchmark>/footage.mp4 (the filtered footage, made once), its test videos and truth files, and
 * DIR/<benchmark>/seed-<n>/project (the trained run) with a scored copy per layout.
 *
 * From the stored curves of each run (no retraining with --reuse DIR), each layout can also report:
 *   --sigma-sweep 0,8,0.8s    micro and macro AUC of the unsmoothed frame score smoothed at each σ (0 = none), in
 *                             frames, or in seconds with an `s` (0.8s = 8 frames at 10 fps, 20 at 25 fps);
 *   --what-if                 micro AUC if the reversed frames scored as high as their video's highest frame, and
 *                             if only the turns did (the frames the scoring windows holding either turn cover,
 *                             windows starting every `stride` frames from frame 0), at σ 20 and the paper's σ;
 *   --epoch-metrics           the run's epochs as the Anomaly view charts them: loss, arrow-of-time and
 *                             irregularity accuracy and loss per epoch (from the project's anomaly_metrics table).
 *   --smoke                   the smallest run: 96×72 frames, 6 s of normal footage, 1 epoch of a tiny model; the
 *                             pedestrian footage when it is cached, else synthetic footage (no download).
 *
 * VSSL_BUILD: the build whose modules score the baseline (default out/main); VSSL_CLI: see bench/lib/vssl-cli.mjs.
 * The result carries the machine record (bench/lib/machine.mjs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { encodeVideo } from './digits/encode.mjs';
import { BENCHMARK_NAMES, BENCHMARKS, framesBetween, pickBenchmarks } from './anomaly/benchmarks.mjs';
import { cachedPedestrianFootage, decodeFrames, pedestrianFootage, syntheticFootage } from './anomaly/footage.mjs';
import { frameDifferenceScores, minMax } from './anomaly/frame-difference.mjs';
import { ANOMALY_KINDS, injectAnomalies, planFrames } from './anomaly/inject.mjs';
import { seedTable, seedTableMarkdown, TARGETS } from './anomaly/seed-table.mjs';
import { importBuild } from './lib/build.mjs';
import { argsWithoutSmoke, findFfmpeg, report, ROOT, serve, SMOKE } from './lib/harness.mjs';
import { requireCommands, vssl, vsslJson } from './lib/vssl-cli.mjs';

// The footage is 768×576; half that keeps the frames in memory small. --frame-width 768 for full size.
let WIDTH = 384;
let HEIGHT = 288;
// SSMTL's σ = 20 frames is 0.8 s of Avenue's 25 fps footage; the same time at each benchmark's rate, reported beside the default.
const PAPER_SIGMA_SECONDS = 0.8;
// Smoke runs train on this much normal footage (from the start of each benchmark's normal part).
const SMOKE_NORMAL_SECONDS = 6;

function parseArgs(argv) {
  const o = { epochs: null, size: null, width: null, video: null, dir: null, extra: [], rescore: null, reuse: null,
    sigmaSweep: null, whatIf: false, epochMetrics: false, benchmarks: BENCHMARKS, seeds: [1], scored: false };
  if (SMOKE) {
    Object.assign(o, { epochs: 1, size: 16, width: 4, extra: ['--max-tubes', '32', '--batch-size', '8', '--long-side', '96'] });
    setFrameWidth(96);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--what-if') {
      o.whatIf = true;
      continue;
    }
    if (arg === '--epoch-metrics') {
      o.epochMetrics = true;
      continue;
    }
    if (arg === '--scored') {
      o.scored = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--epochs') o.epochs = Number(value);
    else if (arg === '--size') o.size = Number(value);
    else if (arg === '--width') o.width = Number(value);
    else if (arg === '--video') o.video = path.resolve(value);
    else if (arg === '--dir') o.dir = path.resolve(value);
    else if (arg === '--extra') o.extra = value.split(/\s+/).filter(Boolean);
    else if (arg === '--rescore') o.rescore = path.resolve(value);
    else if (arg === '--reuse') o.reuse = path.resolve(value);
    else if (arg === '--frame-width') setFrameWidth(Number(value));
    else if (arg === '--benchmarks') {
      try {
        o.benchmarks = pickBenchmarks(value);
      } catch (error) {
        usage(error.message.replace(/^bench: /, ''));
      }
    } else if (arg === '--seeds') {
      o.seeds = value.split(',').map((v) => Number(v.trim()));
      if (o.seeds.some((v) => !Number.isInteger(v) || v < 0) || new Set(o.seeds).size !== o.seeds.length) {
        usage(`--seeds takes different whole numbers ≥ 0, e.g. 1,2,3, not ${value}`);
      }
    } else if (arg === '--sigma-sweep') {
      o.sigmaSweep = value.split(',').map((item) => item.trim());
      if (o.sigmaSweep.some((v) => !(Number(v.replace(/s$/, '')) >= 0))) usage('--sigma-sweep takes σ values ≥ 0 in frames, or in seconds with an s, e.g. 0,8,0.8s');
    }
    else usage(`unknown option ${arg}`);
  }
  return o;
}

function setFrameWidth(width) {
  WIDTH = width;
  HEIGHT = Math.round((WIDTH * 3) / 8) * 2;
}

function usage(message) {
  console.error(`bench: ${message}\nusage: node bench/anomaly-footage.mjs [--benchmarks ${BENCHMARK_NAMES.join(',')}] [--seeds 1,2,3] ` +
    '[--epochs N] [--size S] [--width W] [--video FILE] [--dir DIR] [--frame-width W] [--extra "..."] [--reuse DIR [--scored] | --rescore DIR] ' +
    '[--sigma-sweep 0,8,0.8s] [--what-if] [--epoch-metrics] [--smoke]');
  process.exit(2);
}

const round3 = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 1000);

/**
 * The source footage file: OpenCV's pedestrians, or (smoke, none cached) synthetic walkers written to DIR as
 * 79.5 s of 10 fps video, the length of vtest.avi, so every benchmark's split and plans fit it.
 */
async function sourceFootage(o, ffmpeg, dir) {
  const cache = path.join(ROOT, 'bench', '.data');
  if (SMOKE && !o.video && cachedPedestrianFootage(cache) === null) {
    const file = path.join(dir, 'synthetic-walkers.mp4');
    if (!fs.existsSync(file)) await encodeVideo(ffmpeg, file, syntheticFootage({ width: WIDTH, height: HEIGHT, frames: 795 }), { width: WIDTH, height: HEIGHT, fps: 10 });
    return { file, label: 'synthetic walkers' };
  }
  const file = pedestrianFootage(cache, o.video);
  return { file, label: path.basename(file) };
}

/**
 * A benchmark's footage at WIDTH × HEIGHT and its frame rate: made once per DIR with the benchmark's filter
 * (minterpolate takes about a minute) into DIR/<benchmark>/footage.mp4, and read from there on every run, so
 * --reuse injects into exactly the frames the run it reuses had.
 */
async function benchmarkFrames(bench, source, ffmpeg, benchDir) {
  const file = path.join(benchDir, 'footage.mp4');
  const made = path.join(benchDir, 'footage.json');
  const key = JSON.stringify({ source: source.file, width: WIDTH, height: HEIGHT, filter: bench.filter(WIDTH, HEIGHT), fps: bench.fps });
  if (!fs.existsSync(file) || !fs.existsSync(made) || fs.readFileSync(made, 'utf8') !== key) {
    const filtered = await decodeFrames(ffmpeg, source.file, { width: WIDTH, height: HEIGHT, filter: bench.filter(WIDTH, HEIGHT) });
    await encodeVideo(ffmpeg, file, filtered, { width: WIDTH, height: HEIGHT, fps: bench.fps });
    fs.writeFileSync(made, key);
  }
  return decodeFrames(ffmpeg, file, { width: WIDTH, height: HEIGHT });
}

/** Each test video's name: its kind in the one-kind layout, else the layout's slug and number. */
const testName = (layout, plan, i) => (layout.slug === 'one-per-video' ? plan[0].kind : `${layout.slug}-${i + 1}`);

/**
 * Writes a benchmark's normal video, test videos and truth files into `benchDir`. Each test keeps its truth,
 * intervals and the frame-difference baseline's raw curve; the frames themselves are let go.
 */
async function buildData(bench, source, ffmpeg, benchDir, { keepVideos = false } = {}) {
  const frames = await benchmarkFrames(bench, source, ffmpeg, benchDir);
  const size = { width: WIDTH, height: HEIGHT, fps: bench.fps };
  const normalSpan = SMOKE ? [bench.normal[0], bench.normal[0] + SMOKE_NORMAL_SECONDS] : bench.normal;
  const normalFrames = framesBetween(frames, normalSpan, bench.fps);
  const heldOut = framesBetween(frames, bench.heldOut, bench.fps);
  const normal = path.join(benchDir, 'normal.mp4');
  // --scored reads curves of the videos already in DIR: they are made from the same frames, so they are kept.
  const write = async (file, frames) => (keepVideos && fs.existsSync(file) ? undefined : encodeVideo(ffmpeg, file, frames, size));
  await write(normal, normalFrames);
  const motion = frameDifferenceScores(heldOut, size);
  const layouts = [];
  for (const layout of bench.layouts) {
    const tests = [];
    for (const [i, plan] of layout.videos.entries()) {
      const name = testName(layout, plan, i);
      const file = path.join(benchDir, `test-${name}.mp4`);
      const inFrames = planFrames(plan, bench.fps, motion);
      const injected = injectAnomalies(inFrames, heldOut, size);
      await write(file, injected.frames);
      tests.push({ name, file, plan: inFrames, truth: injected.truth, intervals: injected.intervals,
        rawBaseline: frameDifferenceScores(injected.frames, size) });
    }
    const truthFile = path.join(benchDir, `truth-${layout.slug}.csv`);
    const rows = tests.flatMap((t) => t.intervals.map((r) => `${t.file},${(r.at / bench.fps).toFixed(3)},${((r.at + r.length) / bench.fps).toFixed(3)}`));
    fs.writeFileSync(truthFile, ['path,start,end', ...rows].join('\n') + '\n');
    layouts.push({ name: layout.name, slug: layout.slug, tests, truthFile });
  }
  return { frameCount: frames.length, normal, normalFrames: normalFrames.length, heldOutFrames: heldOut.length, layouts };
}

const seedDir = (benchDir, seed) => path.join(benchDir, `seed-${seed}`);

/** Scores every finished benchmark's test videos in DIR again with each of its runs, and reports only the speed. */
async function rescore(dir) {
  const results = [];
  for (const bench of BENCHMARKS) {
    const benchDir = path.join(dir, bench.name);
    if (!fs.existsSync(benchDir)) continue;
    const files = fs.readdirSync(benchDir).filter((f) => /^test-.*\.mp4$/.test(f)).map((f) => path.join(benchDir, f));
    for (const runDir of fs.readdirSync(benchDir).filter((f) => /^seed-\d+$/.test(f)).map((f) => path.join(benchDir, f))) {
      results.push({ benchmark: bench.name, seed: Number(path.basename(runDir).slice(5)), ...(await rescoreRun(runDir, files, bench.fps)) });
    }
  }
  if (results.length === 0) throw new Error(`bench: ${dir} holds no benchmark run (<benchmark>/seed-<n>/project)`);
  report({ bench: 'anomaly-footage-rescore', date: new Date().toISOString(), runs: results });
}

async function rescoreRun(runDir, files, fps) {
  const project = copyOfTrained(runDir, 'speed');
  const runId = await trainedRun(project);
  const began = performance.now();
  await vsslJson(['anomaly', 'score', project, ...files, '--run', String(runId)]);
  const wall = (performance.now() - began) / 1000;
  const server = await serve(project, process.env);
  try {
    const videos = await server.api('anomaly:videos', { runId });
    const rows = [];
    for (const video of videos.filter((v) => v.scored)) {
      const stored = await server.api('anomaly:scores', { runId, videoId: video.videoId });
      rows.push({ video: path.basename(video.path), frames: stored.frameCount, seconds: round3(stored.seconds), framesPerSecond: round3(stored.frameCount / stored.seconds), timesRealTime: round3(stored.frameCount / fps / stored.seconds) });
    }
    const frames = rows.reduce((s, r) => s + r.frames, 0);
    const seconds = rows.reduce((s, r) => s + r.seconds, 0);
    return { runId, fps, commandSeconds: round3(wall), framesPerSecond: round3(frames / seconds), timesRealTime: round3(frames / fps / seconds), videos: rows };
  } finally {
    await server.stop();
  }
}

/**
 * A fresh copy of RUNDIR/project (the trained run, never scored) for one set of test videos: evaluation
 * counts every video a run scored, so each layout is scored and evaluated in a project of its own.
 */
function copyOfTrained(runDir, slug) {
  const copy = path.join(runDir, `project-${slug}`);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(path.join(runDir, 'project'), copy, { recursive: true });
  return copy;
}

async function hasTrainedRun(project) {
  return fs.existsSync(project) && (await vsslJson(['anomaly', 'runs', project])).some((r) => r.hasModel);
}

async function trainedRun(project) {
  if (!fs.existsSync(project)) throw new Error(`bench: ${project} does not exist (is it a directory this version of the benchmark made?)`);
  const runs = await vsslJson(['anomaly', 'runs', project]);
  const runId = runs.find((r) => r.hasModel)?.runId;
  if (runId === undefined) throw new Error(`bench: ${project} has no trained anomaly run`);
  return runId;
}

/** Per frame: 1 on the frames of `kind`, 0 on normal frames, null on the other kinds' frames (left out). */
function kindTruth(test, kind) {
  const truth = Array.from(test.truth, (t) => (t ? null : 0));
  for (const r of test.intervals.filter((i) => i.kind === kind)) for (let f = r.at; f < r.at + r.length; f++) truth[f] = 1;
  return truth;
}

/**
 * Each video's AUC, and each kind's against the normal frames of the videos that hold it; `scoresOf`
 * picks the curve (default: the stored, smoothed one).
 */
function evaluateLayout(layout, curves, rocAuc, scoresOf = (c) => c.scores) {
  const videos = layout.tests.map((test) => {
    const curve = curves.get(test.file);
    const { raw, perTask, baseline, rawBaseline } = curve;
    const scores = scoresOf(curve);
    return {
      video: test.name,
      frames: scores.length,
      anomalousFrames: test.truth.reduce((a, b) => a + b, 0),
      auc: round3(rocAuc(scores, test.truth)),
      rawAuc: round3(rocAuc(raw, test.truth)),
      perTask: Object.fromEntries(Object.entries(perTask).map(([task, values]) => [task, round3(rocAuc(values, test.truth))])),
      baselineAuc: round3(rocAuc(baseline, test.truth)),
      baselineRawAuc: round3(rocAuc(rawBaseline, test.truth)),
    };
  });
  const kinds = ANOMALY_KINDS.map((kind) => {
    const holding = layout.tests.filter((t) => t.intervals.some((i) => i.kind === kind));
    const pick = (series) => {
      const scores = [];
      const truth = [];
      for (const test of holding) {
        const values = series(curves.get(test.file));
        kindTruth(test, kind).forEach((t, f) => {
          if (t === null) return;
          scores.push(values[f]);
          truth.push(t);
        });
      }
      return round3(rocAuc(scores, truth));
    };
    const tasks = Object.keys(curves.get(holding[0].file).perTask);
    return {
      kind,
      auc: pick(scoresOf),
      rawAuc: pick((c) => c.raw),
      perTask: Object.fromEntries(tasks.map((task) => [task, pick((c) => c.perTask[task])])),
      baselineAuc: pick((c) => c.baseline),
    };
  });
  const concat = (series) => {
    const scores = [];
    const truth = [];
    for (const test of layout.tests) {
      scores.push(...series(curves.get(test.file)));
      truth.push(...test.truth);
    }
    return round3(rocAuc(scores, truth));
  };
  const mean = (key) => round3(videos.reduce((s, v) => s + v[key], 0) / videos.length);
  return {
    layout: layout.name,
    micro: concat(scoresOf),
    macro: mean('auc'),
    baseline: { micro: concat((c) => c.baseline), macro: mean('baselineAuc') },
    kinds,
    videos,
  };
}

/** Micro and macro AUC of each layout's unsmoothed frame score smoothed at each σ of `sigmas` (0: unsmoothed). */
function sigmaSweep(layout, curves, rocAuc, smoothScores, sigmas, fps) {
  return sigmas.map((asked) => {
    const sigma = asked.endsWith('s') ? Number(asked.slice(0, -1)) * fps : Number(asked);
    const at = evaluateLayout(layout, curves, rocAuc, (c) => (sigma === 0 ? c.raw : smoothScores(c.raw, { sigma })));
    return { sigma, sigmaSeconds: round3(sigma / fps), micro: at.micro, macro: at.macro, kinds: Object.fromEntries(at.kinds.map((k) => [k.kind, k.auc])) };
  });
}

/** The frames whose score the scoring windows holding a turn of playback set: windows start every `stride` frames. */
function turnFrames(turn, frameCount, { stride, halfSpan }) {
  const frames = new Set();
  // A window of 7 frames starting at w holds the change from frame turn − 1 to frame turn when w ≤ turn − 1 and turn ≤ w + 6.
  for (let w = Math.ceil((turn - 6) / stride) * stride; w <= turn - 1; w += stride) {
    if (w < 0) continue;
    const centre = w + 3;
    for (let f = Math.max(0, centre - halfSpan); f <= Math.min(frameCount - 1, centre + halfSpan); f++) frames.add(f);
  }
  return frames;
}

/**
 * What the target needs from the reversed stretch, on the stored unsmoothed curves: micro AUC at each σ if
 * the reversed frames scored as high as their video's highest frame, and if only the turns did.
 */
function whatIf(layout, curves, rocAuc, smoothScores, sigmas) {
  const variants = { reversedAtMax: new Map(), turnsAtMax: new Map() };
  for (const test of layout.tests) {
    const curve = curves.get(test.file);
    const top = Math.max(...curve.raw);
    const reversed = Float32Array.from(curve.raw);
    const turns = Float32Array.from(curve.raw);
    const stride = curve.sampling?.strideFrames ?? curve.options.stride;
    for (const r of test.intervals.filter((i) => i.kind === 'reversed')) {
      reversed.fill(top, r.at, r.at + r.length);
      for (const turn of [r.at, r.at + r.length]) {
        for (const f of turnFrames(turn, turns.length, { stride, halfSpan: Math.floor(stride / 2) })) turns[f] = top;
      }
    }
    variants.reversedAtMax.set(curve, reversed);
    variants.turnsAtMax.set(curve, turns);
  }
  return sigmas.map((sigma) => {
    const smooth = (values) => (sigma === 0 ? values : smoothScores(values, { sigma }));
    return {
      sigma,
      reversedAtMax: evaluateLayout(layout, curves, rocAuc, (c) => smooth(variants.reversedAtMax.get(c))).micro,
      turnsAtMax: evaluateLayout(layout, curves, rocAuc, (c) => smooth(variants.turnsAtMax.get(c))).micro,
    };
  });
}

/** Each epoch of anomaly run `runId` in `project`, as stored: loss, and each task head's accuracy and loss. */
function anomalyEpochs(project, runId) {
  const db = new Database(path.join(project, 'project.vssl'), { readonly: true });
  try {
    const rows = db.prepare("SELECT metrics_json FROM anomaly_metrics WHERE run_id = ? AND kind = 'epoch' ORDER BY epoch").all(runId);
    return rows.map((row) => {
      const m = JSON.parse(row.metrics_json);
      return { epoch: m.epoch, loss: round3(m.loss), arrowAccuracy: round3(m.arrowAccuracy), arrowLoss: round3(m.arrowLoss),
        irregularAccuracy: round3(m.irregularAccuracy), middleFrameLoss: round3(m.middleFrameLoss) };
    });
  } finally {
    db.close();
  }
}

/** Trains (or, with --reuse, finds) one seed's run of a benchmark, scores both layouts and evaluates them. */
async function runSeed(o, bench, data, benchDir, seed, build) {
  const { rocAuc, smoothScores, decodeFloat32 } = build;
  const runDir = seedDir(benchDir, seed);
  const project = path.join(runDir, 'project');
  let trained = null;
  let trainSeconds = null;
  let runId;
  // --reuse trains only the runs DIR lacks (a seed or benchmark added, or one cut short).
  if (o.reuse && (await hasTrainedRun(project))) runId = await trainedRun(project);
  else {
    fs.rmSync(runDir, { recursive: true, force: true });
    fs.mkdirSync(runDir, { recursive: true });
    await vssl(['init', project], { quiet: true });
    const settings = [...(o.epochs ? ['--epochs', String(o.epochs)] : []), ...(o.size ? ['--size', String(o.size)] : []), ...(o.width ? ['--width', String(o.width)] : []),
      '--seed', String(seed), ...o.extra];
    const began = performance.now();
    trained = await vsslJson(['anomaly', 'train', project, '--normal', data.normal, ...settings]);
    trainSeconds = (performance.now() - began) / 1000;
    runId = trained.run?.id ?? trained.id ?? trained.runId;
  }

  let scoreSeconds = 0;
  const evaluated = [];
  const curves = new Map();
  const speed = [];
  for (const layout of data.layouts) {
    let layoutProject = path.join(runDir, `project-${layout.slug}`);
    if (!(o.scored && fs.existsSync(layoutProject))) {
      layoutProject = copyOfTrained(runDir, layout.slug);
      const began = performance.now();
      await vsslJson(['anomaly', 'score', layoutProject, ...layout.tests.map((t) => t.file), '--run', String(runId)]);
      scoreSeconds += (performance.now() - began) / 1000;
    }
    evaluated.push(await vsslJson(['anomaly', 'eval', layoutProject, '--truth', layout.truthFile, '--run', String(runId)]));
    const server = await serve(layoutProject, process.env);
    try {
      const videos = await server.api('anomaly:videos', { runId });
      for (const test of layout.tests) {
        const video = videos.find((v) => path.resolve(v.path) === path.resolve(test.file));
        if (!video) throw new Error(`bench: ${test.file} is not in the project`);
        const stored = await server.api('anomaly:scores', { runId, videoId: video.videoId });
        const scores = decodeFloat32(stored.scores);
        if (scores.length !== test.truth.length) throw new Error(`bench: ${bench.name} ${test.name}: ${scores.length} scores for ${test.truth.length} frames`);
        curves.set(test.file, {
          scores,
          raw: decodeFloat32(stored.raw),
          perTask: Object.fromEntries(Object.entries(stored.perTask).map(([task, b64]) => [task, decodeFloat32(b64)])),
          baseline: minMax(smoothScores(test.rawBaseline, { sigma: storedSigmaFrames(stored, bench.fps) })),
          rawBaseline: test.rawBaseline,
          options: stored.options,
          sampling: stored.sampling,
          sigmaFrames: storedSigmaFrames(stored, bench.fps),
        });
        speed.push({ video: `${layout.slug}/${test.name}`, frames: scores.length, seconds: round3(stored.seconds), timesRealTime: round3(scores.length / bench.fps / stored.seconds), windows: stored.windows });
      }
    } finally {
      await server.stop();
    }
  }
  const sigma = Math.round(PAPER_SIGMA_SECONDS * bench.fps);
  const storedSigma = curves.values().next().value?.sigmaFrames ?? sigma;
  return {
    seed,
    run: runId,
    trainSeconds: round3(trainSeconds),
    trainFinal: trained?.metrics ?? trained?.final ?? trained?.last ?? null,
    backend: trained?.backend ?? null,
    ...(o.epochMetrics ? { epochMetrics: anomalyEpochs(project, runId) } : {}),
    scoreSeconds: round3(scoreSeconds),
    sigma: storedSigma,
    layouts: data.layouts.map((layout, i) => {
      const paper = evaluateLayout(layout, curves, rocAuc, (c) => smoothScores(c.raw, { sigma }));
      return {
        ...evaluateLayout(layout, curves, rocAuc),
        eval: { micro: round3(evaluated[i].micro), macro: round3(evaluated[i].macro), perTask: evaluated[i].perTask },
        paperSigma: { sigma, micro: paper.micro, macro: paper.macro, kinds: paper.kinds.map((k) => ({ kind: k.kind, auc: k.auc, baselineAuc: k.baselineAuc })),
          baseline: paper.baseline },
        ...(o.sigmaSweep ? { sigmaSweep: sigmaSweep(layout, curves, rocAuc, smoothScores, o.sigmaSweep, bench.fps) } : {}),
        ...(o.whatIf ? { whatIf: whatIf(layout, curves, rocAuc, smoothScores, [...new Set([storedSigma, sigma])]) } : {}),
      };
    }),
    speed,
  };
}

/** The JSON a layout's test videos are described by: where each anomaly went, in frames and seconds. */
const describeTests = (layout, fps) => layout.tests.map((t) => ({
  video: t.name,
  frames: t.truth.length,
  anomalies: t.intervals.map((r, i) => ({ kind: r.kind, frames: [r.at, r.at + r.length], seconds: [round3(r.at / fps), round3((r.at + r.length) / fps)],
    sourceFrame: t.plan[i].at, ...(t.plan[i].factor && r.kind === 'faster' ? { factor: t.plan[i].factor } : {}) })),
}));

async function main() {
  const o = parseArgs(argsWithoutSmoke());
  await requireCommands(['anomaly']);
  if (o.rescore) return rescore(o.rescore);
  const { rocAuc } = await importBuild('rocAuc');
  const { smoothScores } = await importBuild('smooth');
  const { decodeFloat32 } = await importBuild('sharedAnomaly');
  const build = { rocAuc, smoothScores, decodeFloat32 };

  const dir = o.reuse ?? o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-anomaly-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  const ffmpeg = await findFfmpeg();
  const source = await sourceFootage(o, ffmpeg, dir);
  const benchmarks = [];
  for (const bench of o.benchmarks) {
    const benchDir = path.join(dir, bench.name);
    fs.mkdirSync(benchDir, { recursive: true });
    const data = await buildData(bench, source, ffmpeg, benchDir, { keepVideos: o.scored });
    const runs = [];
    for (const seed of o.seeds) {
      console.error(`bench: ${bench.name}, seed ${seed}…`);
      runs.push(await runSeed(o, bench, data, benchDir, seed, build));
    }
    benchmarks.push({
      name: bench.name,
      description: bench.description,
      footage: `${source.label} at ${WIDTH}×${HEIGHT}, ${bench.fps} fps (${data.frameCount} frames); normal: ${data.normalFrames} frames, held out: ${data.heldOutFrames}`,
      fps: bench.fps,
      tests: Object.fromEntries(data.layouts.map((l) => [l.slug, describeTests(l, bench.fps)])),
      runs,
    });
  }
  const table = seedTable(benchmarks);
  const tableMarkdown = seedTableMarkdown(table);
  console.error(tableMarkdown);
  const result = {
    bench: 'anomaly-footage',
    date: new Date().toISOString(),
    footage: `${source.label} at ${WIDTH}×${HEIGHT}`,
    settings: { epochs: o.epochs, size: o.size, width: o.width, extra: o.extra, reused: Boolean(o.reuse), scoredBefore: o.scored },
    seeds: o.seeds,
    targets: TARGETS,
    table,
    tableMarkdown,
    benchmarks,
    dir,
  };
  report(result, { backend: benchmarks[0]?.runs[0]?.backend ?? null });
  if (SMOKE && !o.dir && !o.reuse) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});

/** σ in frames the stored curve was smoothed with: what its sampling says, else its frame option (curves from before seconds). */
function storedSigmaFrames(stored, fps) {
  return stored.sampling?.sigmaFrames ?? stored.options.sigma ?? Math.round(PAPER_SIGMA_SECONDS * fps);
}
