#!/usr/bin/env node
/**
 * Dataset export benchmark: how fast `vssl dataset export` cuts labelled clips, stream-copied (clips on
 * whole GOPs) against re-encoded (clips off the keyframes). Makes one h264 video (a keyframe every 2 s),
 * two projects over it: one labelled in 2 s clips on the keyframes, one in 1 s clips starting 0.5 s after
 * them; exports each and prints JSON: clips, how they were cut, wall seconds and clips per second (the CLI's
 * start and the project's opening included).
 *
 * Runs on the compiled app: `npm run build:main`, then
 *   node bench/dataset-export.mjs [--seconds 120] [--size 640x360] [--keep] [--smoke]
 * --smoke: a 6 s video. The result carries the machine record (bench/lib/machine.mjs).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { argsWithoutSmoke, findFfmpeg, report, SMOKE } from './lib/harness.mjs';
import { vssl } from './lib/vssl-cli.mjs';

const run = promisify(execFile);
const { values } = parseArgs({
  args: argsWithoutSmoke(),
  options: { seconds: { type: 'string' }, size: { type: 'string', default: '640x360' }, keep: { type: 'boolean', default: false } },
});
const seconds = Number(values.seconds ?? (SMOKE ? 6 : 120));
if (!(seconds >= 4 && seconds % 2 === 0)) {
  console.error('bench: --seconds must be an even number of seconds, at least 4');
  process.exit(2);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-bench-dataset-'));
const env = { ...process.env, VSSL_USER_DATA: path.join(dir, 'user') };
const video = path.join(dir, 'footage', 'walk.mp4');
fs.mkdirSync(path.dirname(video), { recursive: true });
const ffmpeg = await findFfmpeg();
await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${values.size}:rate=25`,
  '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0',
  '-pix_fmt', 'yuv420p', video]);

/** A project over the video with clips [start, start + length) every 2 s, two classes in turn. */
async function project(name, offset, length) {
  const projectDir = path.join(dir, name);
  const rows = ['path,start,end,label'];
  for (let t = 0; t + offset + length <= seconds; t += 2) rows.push(`${video},${t + offset},${t + offset + length},${(t / 2) % 2 ? 'run' : 'walk'}`);
  const csv = path.join(dir, `${name}.csv`);
  fs.writeFileSync(csv, `${rows.join('\n')}\n`);
  await vssl(['init', projectDir], { env, quiet: true });
  await vssl(['import', projectDir, video], { env, quiet: true });
  await vssl(['labels', 'import', projectDir, csv, '--format', 'csv'], { env, quiet: true });
  return projectDir;
}

async function exportOf(projectDir, out) {
  const started = process.hrtime.bigint();
  const summary = JSON.parse(await vssl(['dataset', 'export', projectDir, out, '--format', 'mmaction', '--json'], { env, quiet: true }));
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const clips = summary.train + summary.validation;
  return { clips, copied: summary.copied, reencoded: summary.reencoded, skipped: summary.skipped.length,
    wallSec: Number(wall.toFixed(2)), clipsPerSec: Number((clips / wall).toFixed(2)) };
}

try {
  const onKeyframes = await project('on-keyframes', 0, 2);
  const offKeyframes = await project('off-keyframes', 0.5, 1);
  report({
    benchmark: 'dataset-export',
    command: `node bench/dataset-export.mjs --seconds ${seconds} --size ${values.size}`,
    video: { seconds, size: values.size, fps: 25, keyframeEverySec: 2, codec: 'h264' },
    ffmpeg,
    streamCopy: await exportOf(onKeyframes, path.join(dir, 'out-copy')),
    reencode: await exportOf(offKeyframes, path.join(dir, 'out-reencode')),
  });
} finally {
  if (values.keep) console.error(`bench: kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
