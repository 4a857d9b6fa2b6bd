#!/usr/bin/env node
/**
 * The Label view's timeline with 5,000 clips on one video, in Chromium against a real `vssl serve`.
 * A 200 s video at 25 fps is cut into one-frame clips (segmentation 0.04 s / 0.04 s), a third of
 * them labelled with three classes. Measures: clips:list time, Label view open → timeline painted,
 * then frame times and the timeline's own paint cost (its canvas records each paint) while
 * zooming with Ctrl+wheel, while panning a zoomed view, and while the video plays at 1× and 4×;
 * and keypress-to-saved latency on this video (each label refetches 5,000 clips).
 * Prints one JSON object. Needs `npm run build` first.
 *
 *   node bench/label-timeline.mjs [--seconds 200] [--phase-ms 3000] [--presses 30] [--smoke]
 * --smoke: an 8 s video (200 clips), 300 ms phases, 3 presses.
 */
/* global document, window, requestAnimationFrame, WheelEvent, MutationObserver, KeyboardEvent -- page.evaluate bodies run in the browser */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, findFfmpeg, launchChromium, report, requireBuilt, round, serve, SMOKE, summary } from './lib/harness.mjs';
import { chromiumForTests } from '../scripts/find-chromium.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: SMOKE ? '8' : '200' },
    'phase-ms': { type: 'string', default: SMOKE ? '300' : '3000' },
    presses: { type: 'string', default: SMOKE ? '3' : '30' },
    smoke: { type: 'boolean', default: false },
    chromium: { type: 'string', default: chromiumForTests() },
  },
});
const SECONDS = Number(values.seconds);
const PHASE_MS = Number(values['phase-ms']);
const PRESSES = Number(values.presses);

requireBuilt({ renderer: true });
const ffmpeg = await findFfmpeg();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-bench-timeline-'));
let server = null;
let browser = null;
try {
  const projectDir = path.join(work, 'project');
  const env = { ...process.env, VSSL_USER_DATA: path.join(work, 'user-data') };
  const video = path.join(work, 'long.mp4');
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25',
    '-t', String(SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-movflags', '+faststart', video]);
  execFileSync(process.execPath, [CLI, 'init', projectDir, '--name', 'Timeline bench'], { env, stdio: 'ignore' });
  execFileSync(process.execPath, [CLI, 'import', projectDir, video], { env, stdio: 'ignore' });

  server = await serve(projectDir, env);
  const classIds = [];
  for (const name of ['walk', 'run', 'sit']) classIds.push((await server.api('classes:create', { name })).id);
  await server.api('segmentation:set', { windowSec: 0.04, strideSec: 0.04 });
  let started = performance.now();
  const clips = await server.api('clips:list', { videoId: 1 });
  const clipsListMs = performance.now() - started;
  started = performance.now();
  const toLabel = clips.filter((_, i) => i % 3 === 0);
  await inParallel(toLabel, 4, (clip, i) => server.api('labels:set', { clipId: clip.id, classId: classIds[i % 3] }));
  const labelApiMsEach = (performance.now() - started) / toLabel.length;

  browser = await launchChromium(values.chromium, ['--autoplay-policy=no-user-gesture-required']);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(server.url);
  await page.getByText('Starting…').waitFor({ state: 'hidden' });
  const openStarted = await page.evaluate(() => performance.now());
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Label' }).click();
  await page.waitForFunction((n) => document.querySelector('#timeline-description')?.textContent.includes(`Timeline of ${n} clips`), clips.length, { timeout: 30_000 });
  const painted = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now()))));
  await page.getByTestId('label-video').evaluate(
    (v) => new Promise((resolve) => (v.readyState >= 2 ? resolve() : v.addEventListener('loadeddata', () => resolve(), { once: true }))),
  );

  const zoom = await page.evaluate(measure, { ms: PHASE_MS, mode: 'zoom' });
  await showWholeVideo(page);
  const pan = await page.evaluate(measure, { ms: PHASE_MS, mode: 'pan' });
  await showWholeVideo(page);
  await page.keyboard.press('k');
  const playing = await page.evaluate(measure, { ms: PHASE_MS, mode: 'watch' });
  for (let i = 0; i < 4; i++) await page.keyboard.press('=');
  const playing4x = await page.evaluate(measure, { ms: PHASE_MS, mode: 'watch' });
  for (let i = 0; i < 4; i++) await page.keyboard.press('-');

  // Keypress → saved on this video, at a human pace, while it plays.
  const latency = await page.evaluate(async (presses) => {
    const list = document.querySelector('[aria-label="Recent changes"]');
    const out = [];
    for (let i = 0; i < presses; i++) {
      const before = list.querySelectorAll('[data-kind="label"][data-state="saved"]').length;
      const t0 = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: String((i % 3) + 1), bubbles: true, cancelable: true }));
      await new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (list.querySelectorAll('[data-kind="label"][data-state="saved"]').length > before) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(list, { subtree: true, childList: true, attributes: true });
      });
      out.push(performance.now() - t0);
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return out;
  }, PRESSES);

  const result = {
    bench: 'label-timeline',
    video: { seconds: SECONDS, fps: 25, clips: clips.length, labelled: toLabel.length },
    clipsListApiMs: round(clipsListMs),
    labelsSetApiMsEach: round(labelApiMsEach),
    openLabelViewToTimelinePaintedMs: round(painted - openStarted),
    zoomCtrlWheel: frameSummary(zoom),
    panZoomedView: frameSummary(pan),
    playing1x: frameSummary(playing),
    playing4x: frameSummary(playing4x),
    keyToSavedWhilePlayingMs: summary(latency),
    pageErrors,
  };
  report(result);
} finally {
  await browser?.close();
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
}

/**
 * In the page: for `ms`, records every frame's interval and every timeline paint's cost. zoom:
 * Ctrl+wheel in for half the time, out for the other half; pan: zoom to 1/20 of the video, then
 * wheel sideways every frame; watch: only record (the video plays).
 */
function measure({ ms, mode }) {
  const canvas = document.querySelector('[data-testid="timeline-canvas"]');
  const box = canvas.getBoundingClientRect();
  const wheel = (init) =>
    canvas.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: box.left + box.width / 2, clientY: box.top + 30, ...init }));
  if (mode === 'pan') for (let i = 0; i < 14; i++) wheel({ ctrlKey: true, deltaY: -100 });
  const stamps = [];
  const paints = [];
  let lastPaint = canvas.dataset.drawMs;
  return new Promise((resolve) => {
    let start = null;
    const step = (now) => {
      start ??= now;
      stamps.push(now);
      if (canvas.dataset.drawMs !== lastPaint) {
        lastPaint = canvas.dataset.drawMs;
        paints.push(Number(lastPaint));
      }
      const t = (now - start) / ms;
      if (mode === 'zoom') wheel({ ctrlKey: true, deltaY: t < 0.5 ? -100 : 100 });
      if (mode === 'pan') wheel({ deltaX: 40 });
      if (t < 1) return requestAnimationFrame(step);
      const deltas = stamps.slice(1).map((s, i) => s - stamps[i]);
      resolve({ durationMs: stamps[stamps.length - 1] - stamps[0], deltas, paints, view: [canvas.dataset.viewStart, canvas.dataset.viewEnd] });
    };
    requestAnimationFrame(step);
  });
}

async function showWholeVideo(page) {
  await page.evaluate(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Whole video');
    if (button && !button.disabled) button.click();
  });
}

function frameSummary(run) {
  const frames = summary(run.deltas);
  return {
    frames: run.deltas.length,
    fps: round(run.deltas.length / (run.durationMs / 1000)),
    frameMs: frames,
    framesOver33ms: run.deltas.filter((d) => d > 33.4).length,
    timelinePaints: run.paints.length,
    timelinePaintMs: summary(run.paints),
  };
}

async function inParallel(items, width, run) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await run(items[i], i);
      }
    }),
  );
}

