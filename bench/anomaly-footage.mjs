#!/usr/bin/env node
/**
 * Anomaly detection on real footage. OpenCV's pedestrian sample (bench/anomaly/footage.mjs) is split
 * in time: the first part is the normal footage a run trains on; into the held-out rest the benchmark
 * injects anomalies (reversed, faster, frozen, a fast foreign object) in two layouts, each scored and
 * evaluated on its own: one kind per test video, and two test videos that each hold all four. The app trains
 * and scores through the real CLI (`vssl anomaly train|score|eval`), the per-task curves come from the
 * API of `vssl serve`; a frame-difference baseline is scored on the same frames. Prints JSON.
 *
 *   npm run build:main && node bench/anomaly-footage.mjs [--epochs N] [--size S] [--width W]   (the app's defaults where not given)
 *     [--normal-frames 400] [--video vtest.avi] [--dir DIR] [--frame-width 384] [--extra "--flag value ..."]
 *   node bench/anomaly-footage.mjs --rescore DIR   # score DIR's test videos again with its run (speed on a quiet machine)
 *   node bench/anomaly-footage.mjs --reuse DIR     # make the test videos again, score and evaluate them with DIR's run
 *
 * From the stored curves of the run (no retraining with --reuse DIR), each layout can also report:
 *   --sigma-sweep 0,8,0.8s    micro and macro AUC of the unsmoothed frame score smoothed at each σ (0 = none), in
 *                             frames, or in seconds with an `s` (0.8s = 8 frames of this 10 fps footage);
 *   --what-if                 micro AUC if the reversed frames scored as high as their video's highest frame, and
 *                             if only the turns did (the frames the scoring windows holding either turn cover,
 *                             windows starting every `stride` frames from frame 0), at the stored σ and the paper's σ;
 *   --epoch-metrics           the run's epochs as the Anomaly view charts them: loss, arrow-of-time and
 *                             irregularity accuracy and loss per epoch (from the project's anomaly_metrics table).
 *   --smoke                   the smallest run: 96×72 frames, 60 normal frames, 1 epoch of a tiny model; the
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
import { cachedPedestrianFootage, decodeFrames, pedestrianFootage, syntheticFootage } from './anomaly/footage.mjs';
import { frameDifferenceScores, minMax } from './anomaly/frame-difference.mjs';
import { ANOMALY_KINDS, INJECTION_PLAN, injectAnomalies, MIXED_PLANS } from './anomaly/inject.mjs';
import { importBuild } from './lib/build.mjs';
import { argsWithoutSmoke, findFfmpeg, report, ROOT, serve, SMOKE } from './lib/harness.mjs';
import { requireCommands, vssl, vsslJson } from './lib/vssl-cli.mjs';

// The footage is 768×576; half that keeps the frames in memory small. --frame-width 768 for full size.
let WIDTH = 384;
let HEIGHT = 288;
const FPS = 10;
// SSMTL's σ = 20 frames is 0.8 s of Avenue's 25 fps footage; the same time on this footage, reported beside the default.
const PAPER_SIGMA_SECONDS = 0.8;

function parseArgs(argv) {
  const o = { epochs: null, size: null, width: null, normalFrames: 400, video: null, dir: null, extra: [], rescore: null, reuse: null,
    sigmaSweep: null, whatIf: false, epochMetrics: false };
  if (SMOKE) {
    Object.assign(o, { epochs: 1, size: 16, width: 4, normalFrames: 60, extra: ['--max-tubes', '32', '--batch-size', '8', '--long-side', '96'] });
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
    const value = argv[++i];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--epochs') o.epochs = Number(value);
    else if (arg === '--size') o.size = Number(value);
    else if (arg === '--width') o.width = Number(value);
    else if (arg === '--normal-frames') o.normalFrames = Number(value);
    else if (arg === '--video') o.video = path.resolve(value);
    else if (arg === '--dir') o.dir = path.resolve(value);
    else if (arg === '--extra') o.extra = value.split(/\s+/).filter(Boolean);
    else if (arg === '--rescore') o.rescore = path.resolve(value);
    else if (arg === '--reuse') o.reuse = path.resolve(value);
    else if (arg === '--frame-width') setFrameWidth(Number(value));
    else if (arg === '--sigma-sweep') o.sigmaSweep = sigmaSweepValues(value);
    else usage(`unknown option ${arg}`);
  }
  return o;
}

/** "0,8,0.8s" → σ in frames of this footage: a value ending in `s` is seconds (× FPS). */
function sigmaSweepValues(value) {
  return value.split(',').map((item) => {
    const seconds = /^\s*([\d.]+)\s*s\s*$/.exec(item);
    const sigma = seconds ? Number(seconds[1]) * FPS : Number(item);
    if (!(sigma >= 0) || item.trim() === '') usage(`--sigma-sweep takes σ values ≥ 0 in frames, or seconds with an s (e.g. 0,8,0.8s), not ${JSON.stringify(item)}`);
    return sigma;
  });
}

function setFrameWidth(width) {
  WIDTH = width;
  HEIGHT = Math.round((WIDTH * 3) / 8) * 2;
}

function usage(message) {
  console.error(`bench: ${message}\nusage: node bench/anomaly-footage.mjs [--epochs N] [--size S] [--width W] [--normal-frames N] [--video FILE] ` +
    '[--dir DIR] [--frame-width W] [--extra "..."] [--reuse DIR | --rescore DIR] [--sigma-sweep 0,8,0.8s] [--what-if] [--epoch-metrics] [--smoke]');
  process.exit(2);
}

const round3 = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 1000);

/** The footage's frames at WIDTH × HEIGHT: OpenCV's pedestrians, or (smoke, none cached) synthetic walkers. */
async function footageFrames(o, ffmpeg) {
  const cache = path.join(ROOT, 'bench', '.data');
  if (SMOKE && !o.video && cachedPedestrianFootage(cache) === null) {
    return { source: 'synthetic walkers', frames: syntheticFootage({ width: WIDTH, height: HEIGHT, frames: o.normalFrames + 400 }) };
  }
  const source = pedestrianFootage(cache, o.video);
  return { source, frames: await decodeFrames(ffmpeg, source, { width: WIDTH, height: HEIGHT }) };
}

async function buildData(o, dir) {
  const ffmpeg = await findFfmpeg();
  const { source, frames } = await footageFrames(o, ffmpeg);
  if (frames.length < o.normalFrames + 350) throw new Error(`bench: ${source} has ${frames.length} frames; need ${o.normalFrames + 350}`);
  const size = { width: WIDTH, height: HEIGHT, fps: FPS };
  const normal = path.join(dir, 'normal.mp4');
  await encodeVideo(ffmpeg, normal, frames.slice(0, o.normalFrames), size);
  const heldOut = frames.slice(o.normalFrames);
  const perKind = [];
  for (const kind of ANOMALY_KINDS) {
    const injected = injectAnomalies([{ kind, ...INJECTION_PLAN[kind] }], heldOut, size);
    const file = path.join(dir, `test-${kind}.mp4`);
    await encodeVideo(ffmpeg, file, injected.frames, size);
    perKind.push({ name: kind, file, ...injected });
  }
  const mixed = [];
  for (const [i, plan] of MIXED_PLANS.entries()) {
    const injected = injectAnomalies(plan, heldOut, size);
    const file = path.join(dir, `test-mixed-${i + 1}.mp4`);
    await encodeVideo(ffmpeg, file, injected.frames, size);
    mixed.push({ name: `mixed-${i + 1}`, file, ...injected });
  }
  const layouts = [
    { name: 'one kind per video', slug: 'one-per-video', tests: perKind, truthFile: path.join(dir, 'truth.csv') },
    { name: 'all kinds in each video', slug: 'mixed', tests: mixed, truthFile: path.join(dir, 'truth-mixed.csv') },
  ];
  for (const layout of layouts) {
    const rows = layout.tests.flatMap((t) => t.intervals.map((r) => `${t.file},${(r.at / FPS).toFixed(3)},${((r.at + r.length) / FPS).toFixed(3)}`));
    fs.writeFileSync(layout.truthFile, ['path,start,end', ...rows].join('\n') + '\n');
  }
  return { source, normal, normalFrames: o.normalFrames, layouts };
}

/** Scores a finished benchmark's test videos again and reports only the speed. */
async function rescore(dir) {
  const project = copyOfTrained(dir, 'speed');
  const files = fs.readdirSync(dir).filter((f) => /^test-.*\.mp4$/.test(f)).map((f) => path.join(dir, f));
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
      rows.push({ video: path.basename(video.path), frames: stored.frameCount, seconds: round3(stored.seconds), framesPerSecond: round3(stored.frameCount / stored.seconds), timesRealTime: round3(stored.frameCount / FPS / stored.seconds) });
    }
    const frames = rows.reduce((s, r) => s + r.frames, 0);
    const seconds = rows.reduce((s, r) => s + r.seconds, 0);
    report({ bench: 'anomaly-footage-rescore', date: new Date().toISOString(), runId, commandSeconds: round3(wall), framesPerSecond: round3(frames / seconds), timesRealTime: round3(frames / FPS / seconds), videos: rows });
  } finally {
    await server.stop();
  }
}

/**
 * A fresh copy of DIR/project (the trained run, never scored) for one set of test videos: evaluation
 * counts every video a run scored, so each layout is scored and evaluated in a project of its own.
 */
function copyOfTrained(dir, slug) {
  const copy = path.join(dir, `project-${slug}`);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(path.join(dir, 'project'), copy, { recursive: true });
  return copy;
}

async function trainedRun(project) {
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
function sigmaSweep(layout, curves, rocAuc, smoothScores, sigmas) {
  return sigmas.map((sigma) => {
    const at = evaluateLayout(layout, curves, rocAuc, (c) => (sigma === 0 ? c.raw : smoothScores(c.raw, { sigma })));
    return { sigma, sigmaSeconds: round3(sigma / FPS), micro: at.micro, macro: at.macro, kinds: Object.fromEntries(at.kinds.map((k) => [k.kind, k.auc])) };
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
    const stride = curve.strideFrames;
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

async function main() {
  const o = parseArgs(argsWithoutSmoke());
  await requireCommands(['anomaly']);
  if (o.rescore) return rescore(o.rescore);
  const { rocAuc } = await importBuild('rocAuc');
  const { smoothScores } = await importBuild('smooth');
  const { decodeFloat32 } = await importBuild('sharedAnomaly');

  const dir = o.reuse ?? o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-anomaly-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  const data = await buildData(o, dir);
  const project = path.join(dir, 'project');

  let trained = null;
  let trainSeconds = null;
  let runId;
  if (o.reuse) runId = await trainedRun(project);
  else {
    fs.rmSync(project, { recursive: true, force: true });
    await vssl(['init', project], { quiet: true });
    const settings = [...(o.epochs ? ['--epochs', String(o.epochs)] : []), ...(o.size ? ['--size', String(o.size)] : []), ...(o.width ? ['--width', String(o.width)] : []), ...o.extra];
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
    const layoutProject = copyOfTrained(dir, layout.slug);
    const began = performance.now();
    await vsslJson(['anomaly', 'score', layoutProject, ...layout.tests.map((t) => t.file), '--run', String(runId)]);
    scoreSeconds += (performance.now() - began) / 1000;
    evaluated.push(await vsslJson(['anomaly', 'eval', layoutProject, '--truth', layout.truthFile, '--run', String(runId)]));
    const server = await serve(layoutProject, process.env);
    try {
      const videos = await server.api('anomaly:videos', { runId });
      for (const test of layout.tests) {
        const video = videos.find((v) => path.resolve(v.path) === path.resolve(test.file));
        if (!video) throw new Error(`bench: ${test.file} is not in the project`);
        const stored = await server.api('anomaly:scores', { runId, videoId: video.videoId });
        const scores = decodeFloat32(stored.scores);
        if (scores.length !== test.truth.length) throw new Error(`bench: ${test.name}: ${scores.length} scores for ${test.truth.length} frames`);
        const rawBaseline = frameDifferenceScores(test.frames, { width: WIDTH, height: HEIGHT });
        curves.set(test.file, {
          scores,
          raw: decodeFloat32(stored.raw),
          perTask: Object.fromEntries(Object.entries(stored.perTask).map(([task, b64]) => [task, decodeFloat32(b64)])),
          baseline: minMax(smoothScores(rawBaseline, { sigma: storedSigmaFrames(stored) })),
          rawBaseline,
          options: stored.options,
          sampling: stored.sampling,
          // Curves stored before seconds have the frame options only.
          strideFrames: stored.sampling?.strideFrames ?? stored.options.stride,
          sigmaFrames: storedSigmaFrames(stored),
        });
        speed.push({ video: test.name, frames: scores.length, seconds: round3(stored.seconds), timesRealTime: round3(scores.length / FPS / stored.seconds), windows: stored.windows });
      }
    } finally {
      await server.stop();
    }
  }
  const sigma = Math.round(PAPER_SIGMA_SECONDS * FPS);
  const storedSigma = curves.values().next().value?.sigmaFrames ?? PAPER_SIGMA_SECONDS * FPS;
  const result = {
    bench: 'anomaly-footage',
    date: new Date().toISOString(),
    footage: `${path.basename(data.source)} at ${WIDTH}×${HEIGHT}, ${FPS} fps; normal = first ${data.normalFrames} frames`,
    settings: { epochs: o.epochs, size: o.size, width: o.width, extra: o.extra, reused: Boolean(o.reuse) },
    run: runId,
    trainSeconds: round3(trainSeconds),
    trainFinal: trained?.metrics ?? trained?.final ?? trained?.last ?? null,
    ...(o.epochMetrics ? { epochMetrics: anomalyEpochs(project, runId) } : {}),
    scoreSeconds: round3(scoreSeconds),
    layouts: data.layouts.map((layout, i) => {
      const paper = evaluateLayout(layout, curves, rocAuc, (c) => smoothScores(c.raw, { sigma }));
      return {
        ...evaluateLayout(layout, curves, rocAuc),
        eval: { micro: round3(evaluated[i].micro), macro: round3(evaluated[i].macro), perTask: evaluated[i].perTask },
        paperSigma: { sigma, micro: paper.micro, macro: paper.macro, kinds: paper.kinds.map((k) => ({ kind: k.kind, auc: k.auc })) },
        ...(o.sigmaSweep ? { sigmaSweep: sigmaSweep(layout, curves, rocAuc, smoothScores, o.sigmaSweep) } : {}),
        ...(o.whatIf ? { whatIf: whatIf(layout, curves, rocAuc, smoothScores, [...new Set([storedSigma, sigma])]) } : {}),
      };
    }),
    speed,
    dir,
  };
  report(result, { backend: trained?.backend ?? null });
  if (SMOKE && !o.dir && !o.reuse) fs.rmSync(dir, { recursive: true, force: true });
}

/** σ in frames a stored curve was smoothed with: what its scoring used, else (older curves) its frame option. */
function storedSigmaFrames(stored) {
  return stored.sampling?.sigmaFrames ?? stored.options.sigma ?? PAPER_SIGMA_SECONDS * FPS;
}

main().catch((error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
