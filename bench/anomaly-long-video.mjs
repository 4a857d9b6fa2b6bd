#!/usr/bin/env node
/**
 * Does scoring a long video need memory in proportion to its length? OpenCV's pedestrian sample is looped
 * into a video of --minutes (default 60) and a short one of the same footage (--short-minutes, default 1),
 * and a trained anomaly run scores each through the real CLI (`vssl anomaly score`) in a scratch copy of
 * its project, while this script samples the CLI process's resident memory (Linux /proc). Prints JSON.
 *
 *   npm run build:main && node bench/anomaly-long-video.mjs --project DIR/project [--minutes 60] [--short-minutes 1] [--dir DIR]
 *
 * DIR/project is a project with a trained anomaly run, e.g. the one bench/anomaly-footage.mjs leaves behind.
 * --smoke: a 0.2-minute and a 0.05-minute video; without --project it first trains a tiny run (1 epoch) on
 * 10 s of the footage, synthetic walkers when the pedestrian sample is not cached (no download).
 * The result carries the machine record (bench/lib/machine.mjs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedPedestrianFootage, pedestrianFootage, syntheticFootage } from './anomaly/footage.mjs';
import { encodeVideo } from './digits/encode.mjs';
import { argsWithoutSmoke, findFfmpeg, report, ROOT, SMOKE, runQuiet } from './lib/harness.mjs';
import { vssl, vsslJson, vsslWatched } from './lib/vssl-cli.mjs';

const WIDTH = 384;
const HEIGHT = 288;
const FPS = 10;

function parseArgs(argv) {
  const o = { project: null, minutes: SMOKE ? 0.2 : 60, shortMinutes: SMOKE ? 0.05 : 1, dir: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [arg, value] = [argv[i], argv[i + 1]];
    if (value === undefined) usage(`${arg} needs a value`);
    if (arg === '--project') o.project = path.resolve(value);
    else if (arg === '--minutes') o.minutes = Number(value);
    else if (arg === '--short-minutes') o.shortMinutes = Number(value);
    else if (arg === '--dir') o.dir = path.resolve(value);
    else usage(`unknown option ${arg}`);
  }
  if (!o.project && !SMOKE) usage('--project is required');
  return o;
}

function usage(message) {
  console.error(`bench: ${message}\nusage: node bench/anomaly-long-video.mjs --project DIR [--minutes 60] [--short-minutes 1] [--dir DIR] [--smoke]`);
  process.exit(2);
}


/** The footage looped to `minutes`, at the benchmark's size and frame rate. */
async function loopedVideo(ffmpeg, source, file, minutes) {
  if (fs.existsSync(file)) return file;
  await runQuiet(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-stream_loop', '-1', '-i', source, '-t', String(minutes * 60),
    '-vf', `scale=${WIDTH}:${HEIGHT},fps=${FPS}`, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-pix_fmt', 'yuv420p', '-y', file]);
  return file;
}

/** Scores `video` with `runId` in `project`; the wall time and the CLI process's peak resident memory. */
async function scoreWithMemory(project, video, runId) {
  const began = performance.now();
  const { stdout, samples } = await vsslWatched(['anomaly', 'score', project, video, '--run', String(runId), '--json'], { intervalMs: 250 }, { quiet: true });
  const seconds = (performance.now() - began) / 1000;
  // Resident memory at a quarter, half and three quarters of the run: flat when memory does not grow with length.
  const at = (share) => samples.find((s) => s.seconds >= share * seconds)?.rss ?? null;
  const peakBytes = samples.reduce((peak, s) => Math.max(peak, s.rss), 0);
  return { seconds, peakBytes, quarters: [at(0.25), at(0.5), at(0.75)], result: JSON.parse(stdout) };
}

const mb = (bytes) => (bytes === null ? null : Math.round(bytes / 2 ** 20));

/** The footage to loop: OpenCV's pedestrians, or (smoke, none cached) synthetic walkers written to `dir`. */
async function footageFile(ffmpeg, dir) {
  const cache = path.join(ROOT, 'bench', '.data');
  if (!SMOKE || cachedPedestrianFootage(cache) !== null) return pedestrianFootage(cache);
  const file = path.join(dir, 'synthetic-walkers.mp4');
  await encodeVideo(ffmpeg, file, syntheticFootage({ width: WIDTH, height: HEIGHT, frames: 200 }), { width: WIDTH, height: HEIGHT, fps: FPS });
  return file;
}

/** Smoke without --project: a project with a tiny anomaly run trained on the footage's first 10 s. */
async function smokeProject(ffmpeg, source, dir) {
  const normal = path.join(dir, 'normal.mp4');
  await runQuiet(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', source, '-t', '10', '-vf', `scale=${WIDTH}:${HEIGHT},fps=${FPS}`, '-an',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', normal]);
  const project = path.join(dir, 'project');
  await vssl(['init', project], { quiet: true });
  await vsslJson(['anomaly', 'train', project, '--normal', normal, '--epochs', '1', '--size', '16', '--width', '4', '--max-tubes', '32',
    '--batch-size', '8', '--long-side', '96'], { quiet: true });
  return project;
}

async function main() {
  const o = parseArgs(argsWithoutSmoke());
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-anomaly-long-'));
  fs.mkdirSync(dir, { recursive: true });
  const ffmpeg = await findFfmpeg();
  const source = await footageFile(ffmpeg, dir);
  if (!o.project) o.project = await smokeProject(ffmpeg, source, dir);
  const runs = await vsslJson(['anomaly', 'runs', o.project]);
  const runId = runs.find((r) => r.hasModel)?.runId;
  if (runId === undefined) throw new Error(`bench: ${o.project} has no trained anomaly run`);
  const rows = [];
  for (const minutes of [o.shortMinutes, o.minutes]) {
    const video = await loopedVideo(ffmpeg, source, path.join(dir, `looped-${minutes}min.mp4`), minutes);
    const project = path.join(dir, `project-${minutes}min`);
    fs.rmSync(project, { recursive: true, force: true });
    fs.cpSync(o.project, project, { recursive: true });
    const scored = await scoreWithMemory(project, video, runId);
    const frames = scored.result.videos?.[0]?.frames ?? null;
    rows.push({
      minutes,
      frames,
      seconds: Math.round(scored.seconds * 10) / 10,
      timesRealTime: frames === null ? null : Math.round((frames / FPS / scored.seconds) * 10) / 10,
      peakResidentMB: mb(scored.peakBytes),
      residentMBAtQuarters: scored.quarters.map(mb),
    });
  }
  report({
    bench: 'anomaly-long-video',
    date: new Date().toISOString(),
    footage: `${path.basename(source)} looped, ${WIDTH}×${HEIGHT}, ${FPS} fps`,
    run: runId,
    rows,
    dir,
  });
  if (SMOKE && !o.dir) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
