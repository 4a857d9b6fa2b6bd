#!/usr/bin/env node
// Regenerates the README's Library screenshots, dark and light: a project with a few generated videos (one that needs a
// playable copy, one that is not a video), served in web mode and captured in headless Chromium.
//   npm run build && node scripts/docs-screenshot.mjs
/* global document -- the function passed to waitForFunction runs in the page */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';
import { chromiumForTests } from './find-chromium.mjs';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'vssl.js');
const ffmpeg = (await import(path.join(root, 'out/main/core/media/media-tools.js'))).resolveMediaTools().ffmpeg;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-shot-'));
const footage = path.join(tmp, 'hive-cam');
fs.mkdirSync(footage);

const clips = [
  ['entrance-morning.mp4', 'testsrc2', '25', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']],
  ['entrance-noon.mp4', 'mandelbrot', '30000/1001', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']],
  ['landing-board.webm', 'smptebars', '25', ['-c:v', 'libvpx', '-b:v', '300k']],
  ['old-camera.avi', 'testsrc', '15', ['-c:v', 'mpeg4']],
  ['swarm.mp4', 'rgbtestsrc', '25', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']],
];
for (const [name, pattern, rate, codec] of clips) {
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i',
    `${pattern}=size=320x240:rate=${rate}`, '-t', '4', ...codec, path.join(footage, name)]);
}
fs.writeFileSync(path.join(footage, 'notes.mp4'), 'not a video\n'.repeat(50));

const project = path.join(tmp, 'bees');
execFileSync(process.execPath, [cli, 'init', project, '--name', 'Bees']);
execFileSync(process.execPath, [cli, 'import', project, footage]);
const server = spawn(process.execPath, [cli, 'serve', project, '--port', '0', '--json'], {
  env: { ...process.env, VSSL_USER_DATA: path.join(tmp, 'user') },
});
const [line] = await readline.createInterface({ input: server.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value]);
const { url } = JSON.parse(line);
const browser = await chromium.launch({
  executablePath: chromiumForTests(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
try {
  // The theme preference is left at System, so the page follows the colour scheme each shot emulates.
  for (const [colorScheme, file] of [['dark', 'library.png'], ['light', 'library-light.png']]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme });
    await page.goto(url);
    await page.getByText('entrance-morning.mp4').first().waitFor();
    await page.waitForFunction(() => [...document.images].every((img) => img.complete));
    await page.waitForFunction((theme) => document.documentElement.dataset.theme === theme, colorScheme);
    const out = path.join(root, 'docs', 'screenshots', file);
    await page.screenshot({ path: out });
    console.log(`wrote ${path.relative(root, out)}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
