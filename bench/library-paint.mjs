#!/usr/bin/env node
/**
 * Library first paint and scroll smoothness with 10,000 videos.
 *
 * Makes a project with `vssl init`, inserts N video rows straight into its SQLite file (each row
 * points at its own symlink to one real clip, so the open-time presence check finds them all, and
 * shares one real poster JPEG), serves it with `vssl serve`, opens the Library in Chromium and
 * measures: navigation → first row painted, and frames during a 2 s programmatic scroll from top
 * to bottom. Prints one JSON object. Needs `npm run build` first.
 *
 *   node bench/library-paint.mjs [--videos 10000] [--scroll-ms 2000] [--smoke]
 * --smoke: 200 videos, 300 ms scrolls.
 */
/* global document, requestAnimationFrame -- functions passed to page.evaluate run in the browser */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { CLI, findFfmpeg, launchChromium, report, requireBuilt, round, serve, SMOKE } from './lib/harness.mjs';
import { chromiumForTests } from '../scripts/find-chromium.mjs';

const { values } = parseArgs({
  options: {
    videos: { type: 'string', default: SMOKE ? '200' : '10000' },
    'scroll-ms': { type: 'string', default: SMOKE ? '300' : '2000' },
    smoke: { type: 'boolean', default: false },
    chromium: { type: 'string', default: chromiumForTests() },
  },
});
const VIDEO_COUNT = Number(values.videos);
const SCROLL_MS = Number(values['scroll-ms']);

requireBuilt({ renderer: true });
const ffmpeg = await findFfmpeg();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-bench-paint-'));
let server = null;
let browser = null;
try {
  const projectDir = path.join(work, 'project');
  const userData = path.join(work, 'user-data');
  const env = { ...process.env, VSSL_USER_DATA: userData };
  execFileSync(process.execPath, [CLI, 'init', projectDir, '--name', 'Paint bench'], { env, stdio: 'ignore' });

  const seedMs = time(() => seedVideos(projectDir, path.join(work, 'footage'), VIDEO_COUNT));

  server = await serve(projectDir, env);
  browser = await launchChromium(values.chromium);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto(server.url);
  await page.locator('[data-testid="video-row"]').first().waitFor();
  // The frame after the row entered the DOM is the one that shows it.
  const firstRowPaintedMs = await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))),
  );
  const paint = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { domContentLoadedMs: nav?.domContentLoadedEventEnd ?? null, firstContentfulPaintMs: fcp?.startTime ?? null };
  });
  const countText = await page.getByTestId('video-count').textContent();

  const listApiMs = await page.evaluate(async () => {
    const started = performance.now();
    const response = await fetch('/api/videos:list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    await response.json();
    return performance.now() - started;
  });

  // A fling from the first row to the last (every frame shows all-new rows), then a steady
  // scroll at a fast reading pace, as a wheel or trackpad gives.
  const fling = await page.evaluate(measureScroll, { ms: SCROLL_MS, pxPerSec: null });
  await page.evaluate(() => {
    document.querySelector('[data-testid="video-table"]').scrollTop = 0;
  });
  const steady = await page.evaluate(measureScroll, { ms: SCROLL_MS, pxPerSec: 3000 });

  const filterMs = await page.evaluate(async () => {
    const input = document.querySelector('#library-search');
    const started = performance.now();
    input.value = 'clip-0999';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => {
      const check = () => (document.querySelectorAll('[data-testid="video-row"]').length <= 11 ? resolve() : requestAnimationFrame(check));
      check();
    });
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    return performance.now() - started;
  });
  const heapMb = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null));

  const result = {
    bench: 'library-paint',
    videos: VIDEO_COUNT,
    seedMs: round(seedMs),
    libraryCountShown: countText?.trim() ?? null,
    domContentLoadedMs: round(paint.domContentLoadedMs),
    firstContentfulPaintMs: round(paint.firstContentfulPaintMs),
    firstRowPaintedMs: round(firstRowPaintedMs),
    videosListApiMs: round(listApiMs),
    scrollFling: scrollSummary(fling),
    scrollSteady3000PxPerSec: scrollSummary(steady),
    searchFilterMs: round(filterMs),
    jsHeapMb: round(heapMb),
    pageErrors,
  };
  report(result);
} finally {
  await browser?.close();
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
}

function scrollSummary(scroll) {
  return {
    durationMs: round(scroll.durationMs),
    scrolledPx: scroll.scrolledPx,
    frames: scroll.frames,
    fps: round(scroll.frames / (scroll.durationMs / 1000)),
    frameMsP50: round(scroll.p50),
    frameMsP95: round(scroll.p95),
    frameMsMax: round(scroll.max),
    framesOver50ms: scroll.over50,
    maxRowsInDom: scroll.maxRows,
    ...(scroll.reachedEnd === null ? {} : { reachedLastRow: scroll.reachedEnd }),
  };
}

/**
 * Runs in the page: scrolls the Library for `ms` and records every frame. Without `pxPerSec` it
 * sweeps from top to bottom; with it, it moves at that constant speed.
 */
function measureScroll({ ms, pxPerSec }) {
  const scroller = document.querySelector('[data-testid="video-table"]');
  const bottom = scroller.scrollHeight - scroller.clientHeight;
  const max = pxPerSec === null ? bottom : Math.min(bottom, Math.round((pxPerSec * ms) / 1000));
  const stamps = [];
  let maxRows = 0;
  return new Promise((resolve) => {
    let start = null;
    const step = (now) => {
      start ??= now;
      stamps.push(now);
      maxRows = Math.max(maxRows, scroller.querySelectorAll('[data-testid="video-row"]').length);
      const t = Math.min(1, (now - start) / ms);
      scroller.scrollTop = Math.round(t * max);
      if (t < 1) {
        requestAnimationFrame(step);
        return;
      }
      // One more frame so the last position is rendered before reading it.
      requestAnimationFrame(() => {
        const deltas = stamps.slice(1).map((s, i) => s - stamps[i]).sort((a, b) => a - b);
        const q = (p) => deltas[Math.min(deltas.length - 1, Math.floor(p * deltas.length))] ?? 0;
        const rows = scroller.querySelectorAll('[data-testid="video-row"]');
        const lastIndex = Math.max(...[...rows].map((r) => Number(r.getAttribute('aria-rowindex'))));
        resolve({
          durationMs: stamps[stamps.length - 1] - stamps[0],
          scrolledPx: max,
          frames: deltas.length,
          p50: q(0.5),
          p95: q(0.95),
          max: deltas[deltas.length - 1] ?? 0,
          over50: deltas.filter((d) => d > 50).length,
          maxRows,
          reachedEnd: pxPerSec === null ? lastIndex === Number(scroller.getAttribute('aria-rowcount')) : null,
        });
      });
    };
    requestAnimationFrame(step);
  });
}

function seedVideos(projectDir, footageDir, count) {
  fs.mkdirSync(footageDir, { recursive: true });
  const clip = path.join(footageDir, 'source.mp4');
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-t', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip]);
  const posterRel = 'posters/bench-poster.jpg';
  const posterAbs = path.join(projectDir, 'cache', posterRel);
  fs.mkdirSync(path.dirname(posterAbs), { recursive: true });
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', clip, '-frames:v', '1', '-vf', 'scale=320:-2', posterAbs]);

  const db = new Database(path.join(projectDir, 'project.vssl'));
  const insert = db.prepare(`INSERT INTO videos (
      path, name, hash, size, mtime_ms, status, error, duration_sec, frame_count, avg_frame_rate,
      real_frame_rate, fps, start_time, width, height, codec, pixel_format, container, rotation,
      has_audio, playable, proxy_state, proxy_path, poster_path, probe_json, imported_at, updated_at)
    VALUES (@path, @name, @hash, @size, @mtime_ms, @status, @error, @duration_sec, @frame_count, @avg_frame_rate,
      @real_frame_rate, @fps, @start_time, @width, @height, @codec, @pixel_format, @container, 0,
      0, 1, 'none', NULL, @poster_path, NULL, @now, @now)`);
  const now = new Date().toISOString();
  const size = fs.statSync(clip).size;
  db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const name = `clip-${String(i).padStart(5, '0')}.mp4`;
      const file = path.join(footageDir, name);
      fs.symlinkSync(clip, file);
      const failed = i % 97 === 0;
      const ntsc = i % 3 === 0;
      const duration = 1 + ((i * 7919) % 3600) + (i % 1000) / 1000;
      insert.run({
        path: file,
        name,
        hash: crypto.createHash('sha256').update(name).digest('hex'),
        size,
        mtime_ms: Date.now(),
        status: failed ? 'failed' : 'ready',
        error: failed ? 'no video stream' : null,
        duration_sec: failed ? null : duration,
        frame_count: failed ? null : Math.round(duration * (ntsc ? 29.97 : 25)),
        avg_frame_rate: failed ? null : ntsc ? '30000/1001' : '25/1',
        real_frame_rate: failed ? null : i % 11 === 0 ? '60/1' : ntsc ? '30000/1001' : '25/1',
        fps: failed ? null : ntsc ? 30000 / 1001 : 25,
        start_time: failed ? null : 0,
        width: failed ? null : 1280,
        height: failed ? null : 720,
        codec: failed ? null : i % 5 === 0 ? 'vp9' : 'h264',
        pixel_format: failed ? null : 'yuv420p',
        container: failed ? null : 'mov,mp4,m4a,3gp,3g2,mj2',
        poster_path: failed ? null : posterRel,
        now,
      });
    }
  })();
  db.close();
}

function time(fn) {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

