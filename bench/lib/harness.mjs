// What the benchmarks share: paths, the ffmpeg to use, a real `vssl serve` with an API client, headless
// Chromium launched the way this machine needs, result rounding, and `report`, which prints a result with
// the machine it was measured on (bench/lib/machine.mjs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { BUILD, buildFile, importBuild } from './build.mjs';
import { machineRecord } from './machine.mjs';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'vssl.js');

/** The ffmpeg the app itself would use (FFMPEG_PATH, then the system's, then the bundled one: media-tools.ts). */
export async function findFfmpeg() {
  const { resolveMediaTools } = await importBuild('mediaTools');
  return resolveMediaTools().ffmpeg;
}

/** `--smoke` on the command line: the script runs at its smallest size (see bench/smoke.mjs). */
export const SMOKE = process.argv.includes('--smoke');

/** The command line without `--smoke`, for scripts that parse their own flags. */
export function argsWithoutSmoke(argv = process.argv.slice(2)) {
  return argv.filter((a) => a !== '--smoke');
}

/**
 * Prints one result as JSON with `machine` (CPU, SIMD flags, memory, load before and after, versions,
 * commit) and `smoke: true` when it ran at --smoke size. `pretty`: indented (one object), else one line (JSONL rows).
 */
export function report(result, { backend = null, pretty = true } = {}) {
  const out = { ...result, ...(SMOKE ? { smoke: true } : {}), machine: machineRecord({ backend }) };
  console.log(pretty ? JSON.stringify(out, null, 2) : JSON.stringify(out));
  return out;
}

/** Starts `vssl serve` on a free port (`cli`: another build's entry, see VSSL_CLI); `api` calls it with the token like any script could. */
export async function serve(projectDir, env, cli = CLI) {
  const child = spawn(process.execPath, [cli, 'serve', projectDir, '--port', '0', '--json'], {
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
    token,
    pid: child.pid,
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
    /** Stops it as a terminal's Ctrl+C would; resolves with its exit code. */
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Debian's Chromium with the flags this closed network needs (see the README's test notes). */
export async function launchChromium(executablePath, extraArgs = []) {
  const { chromium } = await import('playwright-core');
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

/** Benchmarks run on the built app: stop with a clear line if it has not been built (`renderer`: the browser ones). */
export function requireBuilt({ renderer = false } = {}) {
  const needed = [buildFile('cliMain'), ...(renderer ? [path.join(BUILD, '..', 'renderer', 'index.html')] : [])];
  for (const built of needed) {
    if (!fs.existsSync(built)) {
      console.error(`bench: ${path.relative(ROOT, built) || built} is missing: run "npm run build" first.`);
      process.exit(1);
    }
  }
}

/** Runs a tool (ffmpeg) to completion, quietly; rejects with its stderr when it fails. */
export function runQuiet(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench: ${path.basename(command)} exited with ${code}: ${stderr.trim()}`))));
  });
}
