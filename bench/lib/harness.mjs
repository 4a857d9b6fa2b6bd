// What the browser benchmarks share: paths, the ffmpeg to use, a real `vssl serve` with an API
// client, headless Chromium launched the way this machine needs, and result rounding.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'vssl.js');

export function findFfmpeg() {
  if (process.env.FFMPEG_PATH) return process.env.FFMPEG_PATH;
  const out = execFileSync(process.execPath, ['-e', "process.stdout.write(require('@ffmpeg-installer/ffmpeg').path)"], {
    cwd: ROOT,
  });
  return out.toString();
}

/** Starts `vssl serve` on a free port; `api` calls it with the token like any script could. */
export async function serve(projectDir, env) {
  const child = spawn(process.execPath, [CLI, 'serve', projectDir, '--port', '0', '--json'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`vssl serve exited with ${code}`)));
  });
  const { url, token } = JSON.parse(line);
  const origin = new URL(url).origin;
  return {
    url,
    async api(method, params) {
      const response = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(params),
      });
      const body = await response.json();
      if (body.error) throw new Error(`${method}: ${body.error.message}`);
      return body.result;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Debian's Chromium with the flags this closed network needs (see the README's test notes). */
export function launchChromium(executablePath, extraArgs = []) {
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', ...extraArgs,
    ],
  });
}

export function round(value) {
  return value === null || value === undefined ? null : Math.round(value * 10) / 10;
}

/** Median, p95 and max of the numbers in `values`. */
export function summary(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? null;
  return { n: sorted.length, median: round(q(0.5)), p95: round(q(0.95)), max: round(sorted[sorted.length - 1] ?? null) };
}

/** Benchmarks run on the built app: stop with a clear line if it has not been built. */
export function requireBuilt() {
  for (const built of ['out/main/cli/main.js', 'out/renderer/index.html']) {
    if (!fs.existsSync(path.join(ROOT, built))) {
      console.error(`bench: ${built} is missing: run "npm run build" first.`);
      process.exit(1);
    }
  }
}
