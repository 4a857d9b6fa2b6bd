#!/usr/bin/env node
/**
 * Import benchmark: generates N short, distinct videos with ffmpeg, imports them into a fresh
 * project through the real core, and prints JSON: files per second, peak memory (RSS of this
 * process, sampled every 50 ms; ffmpeg/ffprobe children are separate processes) and the
 * event-loop delay seen while importing (how responsive the app stays).
 *
 * Runs on the compiled core: `npm run build:main` (or `npx tsc -p tsconfig.main.json`), then
 *   node bench/import-bench.mjs [--count 1000] [--seconds 1] [--proxy-share 0] [--keep] [--dir DIR] [--smoke]
 * --smoke: 4 clips. The result carries the machine record (bench/lib/machine.mjs).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { importBuild } from './lib/build.mjs';
import { report, SMOKE } from './lib/harness.mjs';

const { Core } = await importBuild('core');
const { resolveMediaTools } = await importBuild('mediaTools');

const run = promisify(execFile);

function parseArgs(argv) {
  const options = { count: SMOKE ? 4 : 1000, seconds: 1, proxyShare: 0, keep: false, dir: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--count') options.count = positiveInt(value(), arg);
    else if (arg === '--seconds') options.seconds = Number(value());
    else if (arg === '--proxy-share') options.proxyShare = Number(value());
    else if (arg === '--dir') options.dir = path.resolve(value());
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--smoke') continue;
    else usage(`unknown option ${arg}`);
  }
  if (!(options.seconds > 0)) usage('--seconds must be a positive number');
  if (!(options.proxyShare >= 0 && options.proxyShare <= 1)) usage('--proxy-share must be between 0 and 1');
  return options;
}

function positiveInt(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) usage(`${name} must be a positive whole number`);
  return n;
}

function usage(message) {
  console.error(`bench: ${message}\nusage: node bench/import-bench.mjs [--count N] [--seconds S] [--proxy-share F] [--keep] [--dir DIR] [--smoke]`);
  process.exit(2);
}

/** N distinct tiny videos: the container title differs, so every content hash differs. */
async function generate(dir, count, seconds, proxyShare) {
  const { ffmpeg } = resolveMediaTools();
  const proxyEvery = proxyShare > 0 ? Math.max(1, Math.round(1 / proxyShare)) : 0;
  const files = Array.from({ length: count }, (_, i) => {
    const avi = proxyEvery > 0 && i % proxyEvery === 0;
    return path.join(dir, `clip-${String(i).padStart(6, '0')}.${avi ? 'avi' : 'mp4'}`);
  });
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i];
      const codec = file.endsWith('.avi') ? ['-c:v', 'mpeg4', '-q:v', '5'] : ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
      await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=160x120:rate=${10 + (i % 21)}`,
        '-t', String(seconds), ...codec, '-metadata', `title=bench clip ${i}`, file]);
    }
  };
  await Promise.all(Array.from({ length: os.availableParallelism() }, worker));
  return files;
}

const options = parseArgs(process.argv.slice(2));
const root = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-import-bench-'));
const media = path.join(root, 'media');
fs.mkdirSync(media, { recursive: true });

const genStart = performance.now();
const existing = fs.readdirSync(media).filter((n) => /\.(mp4|avi)$/.test(n)).length;
if (existing !== options.count) {
  fs.rmSync(media, { recursive: true, force: true });
  fs.mkdirSync(media);
  await generate(media, options.count, options.seconds, options.proxyShare);
}
const generateSec = (performance.now() - genStart) / 1000;

const projectDir = path.join(root, `project-${Date.now()}`);
const core = new Core({ mode: 'cli', userDataDir: path.join(root, 'user') });
await core.call('project:create', { path: projectDir });

let peakRss = process.memoryUsage().rss;
const baselineRss = peakRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let changedEvents = 0;
core.events.on('videos:changed', () => changedEvents++);

loopDelay.enable();
const start = performance.now();
const { jobId } = await core.call('videos:import', { paths: [media], recursive: true });
const session = core.currentSession();
let importDone = null;
core.events.on('job:updated', (job) => {
  if (job.id === jobId && job.state !== 'running' && job.state !== 'queued') importDone ??= performance.now();
});
await session.jobs.idle();
const allDone = performance.now();
loopDelay.disable();
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const job = session.jobs.get(jobId);
const listStart = performance.now();
const listed = await core.call('videos:list', {});
const listMs = performance.now() - listStart;
const importSec = ((importDone ?? allDone) - start) / 1000;
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const ms = (ns) => Math.round(ns / 1e4) / 100;

const result = {
  bench: 'import',
  count: options.count,
  secondsPerClip: options.seconds,
  proxyShare: options.proxyShare,
  generateSec: Math.round(generateSec * 10) / 10,
  importJob: { state: job.state, result: job.result && { ...job.result, failed: job.result.failed.length } },
  importSec: Math.round(importSec * 100) / 100,
  filesPerSec: Math.round((options.count / importSec) * 10) / 10,
  untilIdleSec: Math.round(((allDone - start) / 1000) * 100) / 100,
  peakRssMB: mb(peakRss),
  baselineRssMB: mb(baselineRss),
  eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
  videosChangedEvents: changedEvents,
  videosListMs: Math.round(listMs * 10) / 10,
  videosListed: listed.length,
  tools: resolveMediaTools(),
};
await core.close();
if (!options.keep && !options.dir) fs.rmSync(root, { recursive: true, force: true });
else fs.rmSync(projectDir, { recursive: true, force: true });
report(result);
