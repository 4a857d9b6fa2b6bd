#!/usr/bin/env node
// Regenerates the README's Train and Review screenshots: a project of generated footage (two kinds of scene),
// every clip of four videos labelled, a short supervised run trained through `vssl serve`, then the Train view
// (charts, the per-class evaluation) and the Review view captured in headless Chromium.
//   npm run build && node scripts/docs-screenshot-train.mjs
/* global document -- the function passed to waitForFunction runs in the page */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../bench/lib/harness.mjs';
import { chromiumForTests } from './find-chromium.mjs';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'vssl.js');
const ffmpeg = (await import(path.join(root, 'out/main/core/media/media-tools.js'))).resolveMediaTools().ffmpeg;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-shot-train-'));
const footage = path.join(tmp, 'hive-cam');
fs.mkdirSync(footage);

const scenes = { forage: 'testsrc2', fan: 'mandelbrot', guard: 'smptebars' };
for (const [name, pattern] of Object.entries(scenes)) {
  for (let i = 1; i <= 3; i++) {
    execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `${pattern}=size=320x240:rate=10`,
      '-vf', `hue=h=${i * 40}`, '-t', '10', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path.join(footage, `${name}-${i}.mp4`)]);
  }
}

const project = path.join(tmp, 'bees');
const env = { ...process.env, VSSL_USER_DATA: path.join(tmp, 'user') };
execFileSync(process.execPath, [cli, 'init', project, '--name', 'Bees'], { env });
execFileSync(process.execPath, [cli, 'import', project, footage], { env });
// The benchmarks' `vssl serve` with its token-carrying API client.
const server = await serve(project, env);
const api = (method, params = {}) => server.api(method, params);

const browser = await chromium.launch({
  executablePath: chromiumForTests(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
try {
  const classes = {};
  for (const name of Object.keys(scenes)) classes[name] = (await api('classes:create', { name })).id;
  for (const video of await api('videos:list')) {
    const [scene, index] = path.basename(video.path, '.mp4').split('-');
    if (index === '3') continue; // left unlabelled: what the run predicts and Review shows
    for (const clip of await api('clips:list', { videoId: video.id })) await api('labels:set', { clipId: clip.id, classId: classes[scene] });
  }
  const options = await api('train:options');
  const run = await api('train:start', { settings: { ...options.defaults.supervised, budget: 'epochs', epochs: 8, frames: 4, size: 32 }, name: 'first look' });
  for (;;) {
    const now = await api('runs:get', { id: run.id });
    if (now.status === 'succeeded') break;
    if (!['queued', 'running'].includes(now.status)) throw new Error(`run ${run.id} ${now.status}: ${now.error}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  await page.goto(server.url);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Train' }).click();
  await page.getByRole('button', { name: `Show run ${run.id}`, exact: true }).click();
  await page.getByTestId('evaluation-panel').waitFor();
  await page.getByTestId('class-scores-row').first().waitFor();
  const shots = path.join(root, 'docs', 'screenshots');
  await page.screenshot({ path: path.join(shots, 'train.png'), fullPage: true });
  console.log('wrote docs/screenshots/train.png');

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Review' }).click();
  await page.waitForFunction(() => document.querySelector('video')?.readyState >= 2);
  await page.screenshot({ path: path.join(shots, 'review.png') });
  console.log('wrote docs/screenshots/review.png');
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
