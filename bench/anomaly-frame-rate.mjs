#!/usr/bin/env node
/**
 * Does scoring cost grow with the camera's frame rate? OpenCV's pedestrian sample (10 fps) is made into
 * 25 fps and 30 fps 1280×720 videos (ffmpeg's `framerate` filter blends neighbouring frames, so no frame
 * is a plain copy), and two tiny-epoch runs at the app's default model size score them through the real
 * CLI: one sampling ~10 frames a second at the default scoring options (windows 0.6 s apart), one every
 * frame (`--sample-fps 0`) scored with the frame options the detector had before (`--stride 6 --sigma 20`). The scoring time is what the app stores per curve (`seconds`: opening
 * the file to the returned curve, no process start). Prints JSON.
 *
 *   npm run build:main && node bench/anomaly-frame-rate.mjs [--seconds 30] [--video vtest.avi] [--dir DIR]
 *   --smoke: 3 s at 320×180 of a tiny model (synthetic walkers when the pedestrian sample is not cached).
 * The result carries the machine record (bench/lib/machine.mjs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedPedestrianFootage, pedestrianFootage, syntheticFootage } from './anomaly/footage.mjs';
import { encodeVideo } from './digits/encode.mjs';
import { argsWithoutSmoke, findFfmpeg, report, ROOT, serve, SMOKE, runQuiet } from './lib/harness.mjs';
import { vssl, vsslJson } from './lib/vssl-cli.mjs';

const RATES = [25, 30];
const SIZE = SMOKE ? { width: 320, height: 180 } : { width: 1280, height: 720 };
const MODEL = SMOKE ? ['--size', '16', '--width', '4', '--depth', '2', '--long-side', '96'] : [];

function parseArgs(argv) {
  const o = { seconds: SMOKE ? 3 : 30, video: null, dir: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [arg, value] = [argv[i], argv[i + 1]];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--seconds') o.seconds = Number(value);
    else if (arg === '--video') o.video = path.resolve(value);
    else if (arg === '--dir') o.dir = path.resolve(value);
    else usage(`unknown option ${arg}`);
  }
  if (!(o.seconds > 0)) usage('--seconds must be a number > 0');
  return o;
}

function usage(message) {
  console.error(`bench: ${message}\nusage: node bench/anomaly-frame-rate.mjs [--seconds 30] [--video FILE] [--dir DIR] [--smoke]`);
  process.exit(2);
}


/** The source footage: OpenCV's pedestrians (10 fps), or (smoke, none cached) synthetic walkers written to `dir`. */
async function sourceFile(ffmpeg, dir, given) {
  const cache = path.join(ROOT, 'bench', '.data');
  if (given || !SMOKE || cachedPedestrianFootage(cache) !== null) return pedestrianFootage(cache, given ?? undefined);
  const file = path.join(dir, 'synthetic-walkers.mp4');
  await encodeVideo(ffmpeg, file, syntheticFootage({ width: 384, height: 288, frames: 200 }), { width: 384, height: 288, fps: 10 });
  return file;
}

/** `seconds` of the source from `from` s at `fps` and the benchmark's size. */
async function makeVideo(ffmpeg, source, file, { from, seconds, fps }) {
  await runQuiet(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-ss', String(from), '-i', source, '-t', String(seconds),
    '-vf', `framerate=fps=${fps},scale=${SIZE.width}:${SIZE.height}`, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', file]);
  return file;
}

async function main() {
  const o = parseArgs(argsWithoutSmoke());
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-anomaly-fps-'));
  fs.mkdirSync(dir, { recursive: true });
  const ffmpeg = await findFfmpeg();
  const source = await sourceFile(ffmpeg, dir, o.video);
  // Normal footage: the first 10 s at 10 fps; the scored videos: the next `seconds`.
  const normal = await makeVideo(ffmpeg, source, path.join(dir, 'normal-10fps.mp4'), { from: 0, seconds: SMOKE ? 6 : 10, fps: 10 });
  const videos = [];
  for (const fps of RATES) videos.push({ fps, file: await makeVideo(ffmpeg, source, path.join(dir, `test-${fps}fps.mp4`), { from: SMOKE ? 6 : 10, seconds: o.seconds, fps }) });
  const project = path.join(dir, 'project');
  fs.rmSync(project, { recursive: true, force: true });
  await vssl(['init', project], { quiet: true });
  const runs = {};
  for (const [name, sampleFps] of [['sampled', '10'], ['everyFrame', '0']]) {
    const trained = await vsslJson(['anomaly', 'train', project, '--normal', normal, '--epochs', '1', '--max-tubes', '32', '--batch-size', '8',
      '--sample-fps', sampleFps, ...MODEL, '--name', name], { quiet: true });
    runs[name] = trained.runId;
  }
  const rows = [];
  for (const video of videos) {
    for (const [name, runId] of Object.entries(runs)) {
      const before = name === 'everyFrame' ? ['--stride', '6', '--sigma', '20'] : [];
      const scored = await vsslJson(['anomaly', 'score', project, video.file, '--run', String(runId), ...before], { quiet: true });
      rows.push({ fps: video.fps, run: name, frames: scored.videos[0].frames, sampling: scored.videos[0].sampling });
    }
  }
  const server = await serve(project, process.env);
  try {
    const listed = await server.api('videos:list', {});
    for (const row of rows) {
      const video = listed.find((v) => v.path.endsWith(`test-${row.fps}fps.mp4`));
      const stored = await server.api('anomaly:scores', { runId: runs[row.run], videoId: video.id });
      row.seconds = Math.round(stored.seconds * 100) / 100;
      row.timesRealTime = Math.round((row.frames / row.fps / stored.seconds) * 10) / 10;
      row.windows = stored.windows.motion + stored.windows.grid;
    }
  } finally {
    await server.stop();
  }
  report({
    bench: 'anomaly-frame-rate',
    date: new Date().toISOString(),
    footage: `${path.basename(source)} from ${SMOKE ? 6 : 10} s, ${o.seconds} s at ${SIZE.width}×${SIZE.height}, made ${RATES.join(' and ')} fps with ffmpeg's framerate filter`,
    model: SMOKE ? 'tiny (16 px tubes, width 4, depth 2, long side 96)' : 'the app defaults (64 px tubes, width 16, depth 3, long side 320), 1 epoch',
    rows,
    dir,
  });
  if (SMOKE && !o.dir) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
