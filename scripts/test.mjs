#!/usr/bin/env node
// `npm test`: type checks, lint, build, unit/integration tests (vitest), the media tests a second
// time with the ffmpeg/ffprobe bundled in the npm packages (when the first run used another, usually
// the system's), the webgpu suite (when Dawn finds an adapter: a GPU, or Mesa's lavapipe as CI
// installs it), then end-to-end tests (Playwright). Ends with one line
// "tests: N passed, N failed, N skipped" over every run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { findChromium, INSTALL_CHROMIUM } from './find-chromium.mjs';

const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-test-report-'));
const vitestJson = path.join(reportDir, 'vitest.json');
const bundledJson = path.join(reportDir, 'vitest-bundled-ffmpeg.json');
/** The tests whose outcome depends on which ffmpeg decodes: probing, posters, damage checks, proxies. */
const MEDIA_TESTS = ['src-main/core/media', 'src-main/core/anomaly/worker/frames'];
const webgpuJson = path.join(reportDir, 'vitest-webgpu.json');
const playwrightJson = path.join(reportDir, 'playwright.json');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(name, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${result.status === 0 ? '✔' : '✘'} ${name} (${seconds}s)`);
  return result.status === 0;
}

function realPath(file) {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * The bundled ffmpeg and ffprobe, or why the media tests do not run a second time with them: they are
 * missing, or the first run already used them (no FFMPEG_PATH/FFPROBE_PATH and no system ffmpeg).
 */
async function bundledMediaTools() {
  const require = createRequire(import.meta.url);
  let ffmpeg;
  let ffprobe;
  try {
    ffmpeg = require('@ffmpeg-installer/ffmpeg').path;
    ffprobe = require('@ffprobe-installer/ffprobe').path;
  } catch (err) {
    return { skip: `no bundled ffmpeg/ffprobe for this platform (${err.message.split('\n')[0]})` };
  }
  // The tools the app (and so the first run) picks, by the app's own rule, from the build just made.
  const { resolveMediaTools } = await import(new URL('../out/main/core/media/media-tools.js', import.meta.url).href);
  const first = resolveMediaTools();
  if (realPath(first.ffmpeg) === realPath(ffmpeg) && realPath(first.ffprobe) === realPath(ffprobe)) {
    return { skip: 'the first run already used the bundled ffmpeg/ffprobe (no FFMPEG_PATH/FFPROBE_PATH to another, none on PATH)' };
  }
  return { ffmpeg, ffprobe, first };
}

/** The WebGPU adapter the webgpu suite would run on, or why it cannot run, asked of the build just made. */
async function webGpuAdapterOrSkip() {
  try {
    const { webGpuAdapter } = await import(new URL('../out/main/core/engine/worker/backend/webgpu-backend.js', import.meta.url).href);
    return { adapter: await webGpuAdapter() };
  } catch (err) {
    return { skip: err instanceof Error ? err.message : String(err) };
  }
}

function addVitestCounts(file) {
  const vitest = readJson(file);
  if (vitest) {
    counts.passed += vitest.numPassedTests ?? 0;
    counts.failed += vitest.numFailedTests ?? 0;
    counts.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  } else {
    counts.failed += 1;
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

// Without a browser the end-to-end step would fail after ten minutes of other tests: say so first.
const chromium = findChromium();
if (!chromium.ok) {
  console.error(`npm test: the end-to-end tests need Chromium: ${chromium.reason}`);
  console.error(`Install one with:\n  ${INSTALL_CHROMIUM}\n(or point VSSL_CHROMIUM at a Chromium or Chrome executable).`);
  process.exit(1);
}
console.log(`Chromium for the end-to-end tests: ${chromium.path} (${chromium.how})`);

const counts = { passed: 0, failed: 0, skipped: 0 };
let ok =
  step('type check (tsc, svelte-check)', npm, ['run', '--silent', 'typecheck']) &&
  step('lint (eslint)', npm, ['run', '--silent', 'lint']) &&
  step('build', npm, ['run', '--silent', 'build']);

if (ok) {
  const bundled = await bundledMediaTools();
  const firstTools = bundled.first ? ` with ${bundled.first.ffmpeg}` : '';
  ok = step(`unit and integration tests (vitest${firstTools})`, npx, [
    'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`,
  ]) && ok;
  addVitestCounts(vitestJson);

  if (bundled.skip) {
    console.log(`\n▷ media tests with the bundled ffmpeg: not run a second time: ${bundled.skip}`);
  } else {
    ok = step(`media tests again with the bundled ffmpeg (vitest with ${bundled.ffmpeg})`, npx, [
      'vitest', 'run', ...MEDIA_TESTS, '--reporter=default', '--reporter=json', `--outputFile.json=${bundledJson}`,
    ], { FFMPEG_PATH: bundled.ffmpeg, FFPROBE_PATH: bundled.ffprobe }) && ok;
    addVitestCounts(bundledJson);
  }

  const gpu = await webGpuAdapterOrSkip();
  if (gpu.skip) {
    console.log(`\n▷ webgpu suite: not run: ${gpu.skip}`);
  } else {
    ok = step(`webgpu suite (vitest on ${gpu.adapter.description})`, npx, [
      'vitest', 'run', '--config', 'vitest.webgpu.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${webgpuJson}`,
    ]) && ok;
    addVitestCounts(webgpuJson);
  }

  const e2eOk = step('end-to-end tests (Playwright)', npx, ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  });
  ok = e2eOk && ok;
  const playwright = readJson(playwrightJson);
  if (playwright?.stats) {
    counts.passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
    counts.failed += playwright.stats.unexpected ?? 0;
    counts.skipped += playwright.stats.skipped ?? 0;
  } else {
    counts.failed += 1;
  }
} else {
  counts.failed += 1;
}

fs.rmSync(reportDir, { recursive: true, force: true });
console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(ok && counts.failed === 0 ? 0 : 1);
