#!/usr/bin/env node
/**
 * Anomaly detection on real footage. OpenCV's pedestrian sample (bench/anomaly/footage.mjs) is split
 * in time: the first part is the normal footage a run trains on; into the held-out rest the benchmark
 * injects one anomaly per test video (reversed, faster, frozen, a fast foreign object). The app trains
 * and scores through the real CLI (`vssl anomaly train|score|eval`), the per-task curves come from the
 * API of `vssl serve`; a frame-difference baseline is scored on the same frames. Prints JSON.
 *
 *   npm run build:main && node bench/anomaly-footage.mjs [--epochs N] [--size S] [--width W]
 *     [--normal-frames 400] [--video vtest.avi] [--dir DIR] [--frame-width 384] [--extra "--flag value ..."]
 *   node bench/anomaly-footage.mjs --rescore DIR   # score DIR's test videos again with its run (speed on a quiet machine)
 *
 * VSSL_BUILD: the build whose modules score the baseline (default out/main); VSSL_CLI: see bench/lib/vssl-cli.mjs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeVideo } from './digits/encode.mjs';
import { decodeFrames, pedestrianFootage } from './anomaly/footage.mjs';
import { frameDifferenceScores, minMax } from './anomaly/frame-difference.mjs';
import { ANOMALY_KINDS, injectAnomaly } from './anomaly/inject.mjs';
import { findFfmpeg, ROOT, serve } from './lib/harness.mjs';
import { requireCommands, vssl, vsslJson } from './lib/vssl-cli.mjs';

// The footage is 768×576; half that keeps the frames in memory small. --frame-width 768 for full size.
let WIDTH = 384;
let HEIGHT = 288;
const FPS = 10;

function parseArgs(argv) {
  const o = { epochs: 10, size: null, width: null, normalFrames: 400, video: null, dir: null, extra: [], rescore: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [arg, value] = [argv[i], argv[i + 1]];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--epochs') o.epochs = Number(value);
    else if (arg === '--size') o.size = Number(value);
    else if (arg === '--width') o.width = Number(value);
    else if (arg === '--normal-frames') o.normalFrames = Number(value);
    else if (arg === '--video') o.video = path.resolve(value);
    else if (arg === '--dir') o.dir = path.resolve(value);
    else if (arg === '--extra') o.extra = value.split(/\s+/).filter(Boolean);
    else if (arg === '--rescore') o.rescore = path.resolve(value);
    else if (arg === '--frame-width') {
      WIDTH = Number(value);
      HEIGHT = Math.round((WIDTH * 3) / 8) * 2;
    }
    else usage(`unknown option ${arg}`);
  }
  return o;
}

function usage(message) {
  console.error(`bench: ${message}\nusage: node bench/anomaly-footage.mjs [--epochs N] [--size S] [--width W] [--normal-frames N] [--video FILE] [--dir DIR] [--extra "..."]`);
  process.exit(2);
}

const round3 = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 1000);

async function buildData(o, dir) {
  const ffmpeg = findFfmpeg();
  const source = pedestrianFootage(path.join(ROOT, 'bench', '.data'), o.video);
  const frames = await decodeFrames(ffmpeg, source, { width: WIDTH, height: HEIGHT });
  if (frames.length < o.normalFrames + 350) throw new Error(`bench: ${source} has ${frames.length} frames; need ${o.normalFrames + 350}`);
  const size = { width: WIDTH, height: HEIGHT, fps: FPS };
  const normal = path.join(dir, 'normal.mp4');
  await encodeVideo(ffmpeg, normal, frames.slice(0, o.normalFrames), size);
  const heldOut = frames.slice(o.normalFrames);
  const tests = [];
  for (const kind of ANOMALY_KINDS) {
    const injected = injectAnomaly(kind, heldOut, size);
    const file = path.join(dir, `test-${kind}.mp4`);
    await encodeVideo(ffmpeg, file, injected.frames, size);
    tests.push({ kind, file, ...injected });
  }
  const rows = tests.map((t) => `${t.file},${(t.at / FPS).toFixed(3)},${((t.at + t.length) / FPS).toFixed(3)}`);
  const truthFile = path.join(dir, 'truth.csv');
  fs.writeFileSync(truthFile, ['path,start,end', ...rows].join('\n') + '\n');
  return { source, normal, normalFrames: o.normalFrames, tests, truthFile };
}

/** Scores a finished benchmark's test videos again and reports only the speed. */
async function rescore(dir) {
  const project = path.join(dir, 'project');
  const files = fs.readdirSync(dir).filter((f) => /^test-.*\.mp4$/.test(f)).map((f) => path.join(dir, f));
  const runs = await vsslJson(['anomaly', 'runs', project]);
  const runId = runs.find((r) => r.hasModel)?.runId;
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
    console.log(JSON.stringify({ date: new Date().toISOString(), load: os.loadavg().map((l) => l.toFixed(1)).join(' '), runId, commandSeconds: round3(wall), framesPerSecond: round3(frames / seconds), timesRealTime: round3(frames / FPS / seconds), videos: rows }, null, 2));
  } finally {
    await server.stop();
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  await requireCommands(['anomaly']);
  if (o.rescore) return rescore(o.rescore);
  const build = path.resolve(process.env.VSSL_BUILD ?? path.join(ROOT, 'out', 'main'));
  const { rocAuc } = await import(pathToFileURL(path.join(build, 'core/anomaly/evaluation/roc-auc.js')).href);
  const { smoothScores } = await import(pathToFileURL(path.join(build, 'core/anomaly/scoring/smooth.js')).href);
  const { decodeFloat32 } = await import(pathToFileURL(path.join(build, 'shared/anomaly.js')).href);

  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-anomaly-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  const data = await buildData(o, dir);
  const project = path.join(dir, 'project');
  fs.rmSync(project, { recursive: true, force: true });
  await vssl(['init', project], { quiet: true });

  const settings = ['--epochs', String(o.epochs), ...(o.size ? ['--size', String(o.size)] : []), ...(o.width ? ['--width', String(o.width)] : []), ...o.extra];
  let began = performance.now();
  const trained = await vsslJson(['anomaly', 'train', project, '--normal', data.normal, ...settings]);
  const trainSeconds = (performance.now() - began) / 1000;
  const runId = trained.run?.id ?? trained.id ?? trained.runId;

  began = performance.now();
  await vsslJson(['anomaly', 'score', project, ...data.tests.map((t) => t.file), '--run', String(runId)]);
  const scoreSeconds = (performance.now() - began) / 1000;
  const evaluated = await vsslJson(['anomaly', 'eval', project, '--truth', data.truthFile, '--run', String(runId)]);

  const server = await serve(project, process.env);
  const perKind = [];
  const micro = { app: { scores: [], truth: [] }, baseline: { scores: [], truth: [] } };
  try {
    const videos = await server.api('anomaly:videos', { runId });
    for (const test of data.tests) {
      const video = videos.find((v) => path.resolve(v.path) === path.resolve(test.file));
      if (!video) throw new Error(`bench: ${test.file} is not in the project`);
      const stored = await server.api('anomaly:scores', { runId, videoId: video.videoId });
      const scores = decodeFloat32(stored.scores);
      if (scores.length !== test.truth.length) throw new Error(`bench: ${test.kind}: ${scores.length} scores for ${test.truth.length} frames`);
      const perTask = Object.fromEntries(Object.entries(stored.perTask).map(([task, b64]) => [task, round3(rocAuc(decodeFloat32(b64), test.truth))]));
      const baseline = minMax(smoothScores(frameDifferenceScores(test.frames, { width: WIDTH, height: HEIGHT }), { sigma: stored.options.sigma }));
      const rawBaseline = frameDifferenceScores(test.frames, { width: WIDTH, height: HEIGHT });
      micro.app.scores.push(...scores);
      micro.app.truth.push(...test.truth);
      micro.baseline.scores.push(...baseline);
      micro.baseline.truth.push(...test.truth);
      perKind.push({
        kind: test.kind,
        frames: scores.length,
        anomalousFrames: test.length,
        auc: round3(rocAuc(scores, test.truth)),
        rawAuc: round3(rocAuc(decodeFloat32(stored.raw), test.truth)),
        perTask,
        baselineAuc: round3(rocAuc(baseline, test.truth)),
        baselineRawAuc: round3(rocAuc(rawBaseline, test.truth)),
        scoringSeconds: round3(stored.seconds),
        timesRealTime: round3(scores.length / FPS / stored.seconds),
        windows: stored.windows,
      });
    }
  } finally {
    await server.stop();
  }
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    footage: `${path.basename(data.source)} at ${WIDTH}×${HEIGHT}, ${FPS} fps; normal = first ${data.normalFrames} frames`,
    settings: { epochs: o.epochs, size: o.size, width: o.width, extra: o.extra },
    run: runId,
    trainSeconds: round3(trainSeconds),
    trainFinal: trained.final ?? trained.last ?? null,
    scoreSeconds: round3(scoreSeconds),
    eval: { micro: round3(evaluated.micro), macro: round3(evaluated.macro), perTask: evaluated.perTask },
    check: { microFromCurves: round3(rocAuc(micro.app.scores, micro.app.truth)) },
    baseline: {
      micro: round3(rocAuc(micro.baseline.scores, micro.baseline.truth)),
      macro: round3(perKind.reduce((s, k) => s + k.baselineAuc, 0) / perKind.length),
    },
    perKind,
    dir,
  };
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
