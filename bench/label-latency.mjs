#!/usr/bin/env node
/**
 * Labelling speed in the Label view, in Chromium against a real `vssl serve`:
 *  1. keypress-to-saved latency while the video plays: a class key every `--pace-ms`, each
 *     followed by → (the next clip); measured in the page from the keydown's timestamp to the
 *     moment its Recent-changes entry says "saved" (and to the next painted frame);
 *  2. labels per minute of a scripted user that presses a class key, waits until the label
 *     shows as saved, presses n (next unlabelled clip), and goes again, while the video plays.
 * Prints one JSON object. Needs `npm run build` first.
 *
 *   node bench/label-latency.mjs [--presses 60] [--pace-ms 300] [--scripted 200] [--video-seconds 600] [--smoke]
 * --smoke: 3 paced presses, 3 scripted labels, a 20 s video.
 */
/* global document, window, requestAnimationFrame, MutationObserver, KeyboardEvent -- page.evaluate bodies run in the browser */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, findFfmpeg, launchChromium, report, requireBuilt, round, serve, SMOKE, summary } from './lib/harness.mjs';
import { chromiumForTests } from '../scripts/find-chromium.mjs';

const { values } = parseArgs({
  options: {
    presses: { type: 'string', default: SMOKE ? '3' : '60' },
    'pace-ms': { type: 'string', default: '300' },
    scripted: { type: 'string', default: SMOKE ? '3' : '200' },
    'video-seconds': { type: 'string', default: SMOKE ? '20' : '600' },
    smoke: { type: 'boolean', default: false },
    chromium: { type: 'string', default: chromiumForTests() },
  },
});
const PRESSES = Number(values.presses);
const PACE_MS = Number(values['pace-ms']);
const SCRIPTED = Number(values.scripted);
const VIDEO_SECONDS = Number(values['video-seconds']);

requireBuilt({ renderer: true });
const ffmpeg = await findFfmpeg();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-bench-label-'));
let server = null;
let browser = null;
try {
  const projectDir = path.join(work, 'project');
  const env = { ...process.env, VSSL_USER_DATA: path.join(work, 'user-data') };
  const video = path.join(work, 'long.mp4');
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25',
    '-t', String(VIDEO_SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-movflags', '+faststart', video]);
  execFileSync(process.execPath, [CLI, 'init', projectDir, '--name', 'Label bench'], { env, stdio: 'ignore' });
  execFileSync(process.execPath, [CLI, 'import', projectDir, video], { env, stdio: 'ignore' });

  server = await serve(projectDir, env);
  await server.api('classes:create', { name: 'walk' });
  await server.api('classes:create', { name: 'run' });
  const clipCount = (await server.api('clips:list', { videoId: 1 })).length;

  browser = await launchChromium(values.chromium, ['--autoplay-policy=no-user-gesture-required']);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(server.url);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Label' }).click();
  await page.getByTestId('label-video').evaluate(
    (v) => new Promise((resolve) => (v.readyState >= 2 ? resolve() : v.addEventListener('loadeddata', () => resolve(), { once: true }))),
  );
  await page.getByText(`of ${clipCount} clips labelled`).waitFor();
  await page.evaluate(installSaveClock);

  // 1. Paced labelling while playing.
  await page.keyboard.press('k');
  await page.waitForFunction(() => !document.querySelector('video').paused);
  for (let i = 0; i < PRESSES; i++) {
    const started = Date.now();
    await page.keyboard.press(i % 2 === 0 ? '1' : '2');
    await page.keyboard.press('ArrowRight');
    const left = PACE_MS - (Date.now() - started);
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }
  await page.waitForFunction((n) => window.__saveClock.done.length >= n, PRESSES, { timeout: 30_000 });
  const paced = await page.evaluate(() => ({ ...window.__saveClock, stillPlaying: !document.querySelector('video').paused }));

  // 2. A scripted user: key, wait until shown saved, n, again; all in the page, while playing.
  const scripted = await page.evaluate(scriptedUser, { labels: Math.min(SCRIPTED, clipCount - PRESSES - 1) });

  const stats = await server.api('labels:stats', {});
  const result = {
    bench: 'label-latency',
    video: { seconds: VIDEO_SECONDS, clips: clipCount, resolution: '160x120', fps: 25 },
    whilePlaying: {
      presses: PRESSES,
      paceMs: PACE_MS,
      saved: paced.done.length,
      keyToSavedInDomMs: summary(paced.done.map((d) => d.dom)),
      keyToSavedPaintedMs: summary(paced.done.map((d) => d.painted)),
      videoStillPlaying: paced.stillPlaying,
    },
    scriptedUser: {
      labels: scripted.labels,
      seconds: round(scripted.ms / 1000),
      labelsPerMinute: round((scripted.labels / scripted.ms) * 60_000),
      keyToSavedMs: summary(scripted.latencies),
      videoStillPlaying: scripted.stillPlaying,
    },
    labelledInProject: stats.labelledClips,
    pageErrors,
  };
  report(result);
} finally {
  await browser?.close();
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
}

/**
 * In the page: pairs each class keydown with the Recent-changes entry it creates, and records
 * keydown → entry marked saved (in the DOM) and → the frame painted after that.
 */
function installSaveClock() {
  const clock = { done: [] };
  window.__saveClock = clock;
  const asked = [];
  const askedAt = new WeakMap();
  window.addEventListener('keydown', (event) => {
    if (/^[1-9]$/.test(event.key)) asked.push(event.timeStamp);
  }, { capture: true });
  const observer = new MutationObserver((records) => {
    const now = performance.now();
    for (const record of records) {
      // The first entry arrives inside a new list; later ones on their own. Oldest first.
      const added = [...record.addedNodes]
        .filter((node) => node.nodeType === 1)
        .flatMap((node) => [node, ...node.querySelectorAll('[data-kind]')])
        .filter((node) => node.getAttribute('data-kind') === 'label')
        .reverse();
      for (const node of added) if (asked.length > 0) askedAt.set(node, asked.shift());
      if (record.type === 'attributes' && record.attributeName === 'data-state') {
        const node = record.target;
        if (node.getAttribute('data-state') !== 'saved' || !askedAt.has(node)) continue;
        const entry = { dom: now - askedAt.get(node), painted: null };
        askedAt.delete(node);
        clock.done.push(entry);
        requestAnimationFrame((frame) => (entry.painted = frame - (now - entry.dom)));
      }
    }
  });
  observer.observe(document.querySelector('[aria-label="Recent changes"]'), { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
}

/** In the page: a user who presses a class key, waits to see it saved, presses n, and repeats. */
async function scriptedUser({ labels }) {
  const key = (k) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  const saved = () => document.querySelector('[data-testid="current-clip"]');
  const latencies = [];
  const started = performance.now();
  for (let i = 0; i < labels; i++) {
    const clip = saved();
    const id = clip.getAttribute('data-clip-id');
    const pressed = performance.now();
    key(i % 2 === 0 ? '1' : '2');
    await new Promise((resolve) => {
      const check = () => {
        const now = saved();
        if (now.getAttribute('data-clip-id') !== id || (now.getAttribute('data-save-state') === 'saved' && now.getAttribute('data-class-id') !== '')) {
          resolve();
        } else {
          requestAnimationFrame(check);
        }
      };
      check();
    });
    latencies.push(performance.now() - pressed);
    key('n');
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  }
  return { labels, ms: performance.now() - started, latencies, stillPlaying: !document.querySelector('video').paused };
}

