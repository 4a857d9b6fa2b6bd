#!/usr/bin/env node
/**
 * `npm run bench:smoke`: every benchmark in bench/ at its smallest size (`--smoke`: a few steps, clips or
 * seconds of video), so an API change that breaks one shows in CI instead of months later. Each must exit 0
 * and print its JSON (one object, or JSON lines) with the machine record. Speeds measured at this size mean
 * nothing; what counts is that every script still runs end to end on the built app.
 *
 * Needs the built app (`npm run build`; `npm test` builds it). Prints one line per script and a summary;
 * exits 1 when any failed.
 *
 *   node bench/smoke.mjs [--only NAME,...] [--jobs N] [--keep DIR]
 * --jobs N: scripts run N at a time (default 2, or 1 on a one-core machine; most of a smoke run is starting
 *   processes and loading modules, one core each).
 * --keep DIR: writes each script's stdout and stderr into DIR.
 * Every script gets a user-data folder of its own (VSSL_USER_DATA), so a smoke run leaves the person's alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BUILD, checkBuild } from './lib/build.mjs';
import { requireBuilt, ROOT } from './lib/harness.mjs';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    jobs: { type: 'string', default: String(Math.min(2, os.availableParallelism())) },
    keep: { type: 'string' },
  },
});

const dir = import.meta.dirname;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-bench-smoke-'));
const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/** What a result says worth a glance: skipped parts, synthetic footage, how many rows. */
function note(objects) {
  const last = objects[objects.length - 1] ?? {};
  const parts = [];
  if (objects.length > 1) parts.push(`${objects.length} JSON lines`);
  if (last.pytorch?.skipped) parts.push(`PyTorch skipped (${last.pytorch.skipped})`);
  if (last.pytorch?.error) parts.push(`PyTorch failed: ${last.pytorch.error}`);
  if (typeof last.footage === 'string' && last.footage.includes('synthetic')) parts.push('synthetic footage');
  if (Array.isArray(last.pageErrors) && last.pageErrors.length > 0) parts.push(`${last.pageErrors.length} page errors`);
  return parts.join('; ');
}

/** The benchmarks: every bench/*.mjs but the runners, plus the scripts under bench/digits that print a result. */
const scripts = [
  ...fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.mjs') && !['run.mjs', 'smoke.mjs'].includes(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.mjs$/, ''), command: [process.execPath, path.join(dir, f), '--smoke'] })),
  { name: 'digits/teacher', command: [process.execPath, path.join(dir, 'digits', 'teacher.mjs'), '--smoke', '--out', path.join(scratch, 'teacher')] },
  torch
    ? {
        name: 'pytorch/train',
        // PyTorch's training loop on a tiny digit set (made first by bench/digits/generate.mjs).
        before: [process.execPath, path.join(dir, 'digits', 'generate.mjs'), '--out', path.join(scratch, 'digits'), '--train', '20', '--test', '10', '--nuisance', 'low'],
        command: ['/usr/bin/python3', path.join(dir, 'pytorch', 'train.py'), '--data', path.join(scratch, 'digits'), '--method', 'fixmatch',
          '--labels-per-class', '1', '--epochs', '1', '--eval-every', '1', '--threads', '1', '--size', '16', '--frames', '4'],
        machineless: true,
      }
    : { name: 'pytorch/train', skipped: 'no PyTorch under /usr/bin/python3' },
];
// Flags the doc's numbers depend on ride along, so they are smoke-tested too.
// anomaly-footage smokes the two benchmarks with their own code paths (interpolated 25 fps footage; mirrored,
// cropped footage with busiest-moment placements); `vtest` differs from `vtest-25fps` only in its filter and rate.
const EXTRA = { 'anomaly-footage': ['--sigma-sweep', '0,8,10,20,0.8s', '--what-if', '--epoch-metrics', '--benchmarks', 'vtest-25fps,vtest-mirrored'] };

const wanted = values.only?.split(',') ?? null;
const unknown = (wanted ?? []).filter((n) => !scripts.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`bench:smoke: no benchmark called ${unknown.join(', ')} (there are: ${scripts.map((s) => s.name).join(', ')})`);
  process.exit(2);
}

requireBuilt({ renderer: true });
const missing = checkBuild().filter((m) => !m.present);
if (missing.length > 0) {
  console.error(`bench:smoke: ${BUILD} lacks ${missing.map((m) => m.path).join(', ')}: update BUILD_MODULES in bench/lib/build.mjs.`);
  process.exit(1);
}

/** Runs one command; resolves with its exit code, stdout, stderr and seconds. */
function run(command, timeoutMs, userData) {
  return new Promise((resolve) => {
    const started = performance.now();
    const env = { ...process.env, VSSL_USER_DATA: userData };
    const child = spawn(command[0], command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => (stderr += error.message));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? `killed (${signal}, over ${timeoutMs / 1000} s?)` : code, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** The JSON a script printed: one object (possibly indented) or JSON lines. Throws when it is neither. */
function parseOutput(stdout) {
  const text = stdout.trim();
  if (text === '') throw new Error('printed nothing on stdout');
  try {
    return [JSON.parse(text)];
  } catch {
    return text.split('\n').filter((l) => l.trim() !== '').map((line, i) => {
      try {
        return JSON.parse(line);
      } catch {
        throw new Error(`stdout line ${i + 1} is not JSON: ${line.slice(0, 120)}`);
      }
    });
  }
}

async function smoke(script) {
  if (script.skipped) return { name: script.name, status: 'skipped', seconds: 0, note: script.skipped };
  let seconds = 0;
  const userData = path.join(scratch, 'user-data', script.name.replace('/', '-'));
  if (script.before) {
    const prepared = await run(script.before, 120_000, userData);
    seconds += prepared.seconds;
    if (prepared.code !== 0) return { name: script.name, status: 'failed', seconds, note: `preparing: exit ${prepared.code}`, stderr: prepared.stderr };
  }
  const result = await run([...script.command, ...(EXTRA[script.name] ?? [])], 240_000, userData);
  seconds += result.seconds;
  if (values.keep) {
    fs.mkdirSync(values.keep, { recursive: true });
    const base = path.join(values.keep, script.name.replace('/', '-'));
    fs.writeFileSync(`${base}.stdout`, result.stdout);
    fs.writeFileSync(`${base}.stderr`, result.stderr);
  }
  const failed = (why) => ({ name: script.name, status: 'failed', seconds, note: why, stderr: result.stderr });
  if (result.code !== 0) return failed(`exit ${result.code}`);
  let objects;
  try {
    objects = parseOutput(result.stdout);
  } catch (error) {
    return failed(error.message);
  }
  if (!script.machineless && !objects.every((o) => o && typeof o.machine === 'object' && o.machine.cpu)) return failed('a result has no machine record');
  return { name: script.name, status: 'passed', seconds, note: note(objects) };
}

const began = performance.now();
const queue = scripts.filter((s) => wanted === null || wanted.includes(s.name));
const results = [];
const jobs = Math.max(1, Number(values.jobs) || 1);
let next = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (next < queue.length) {
      const script = queue[next++];
      const outcome = await smoke(script);
      results.push(outcome);
      const mark = { passed: '✔', failed: '✘', skipped: '–' }[outcome.status];
      console.log(`${mark} ${outcome.name.padEnd(24)} ${outcome.seconds.toFixed(1).padStart(6)} s  ${outcome.note ?? ''}`);
      if (outcome.status === 'failed') console.log(outcome.stderr.trim().split('\n').slice(-15).map((l) => `    ${l}`).join('\n'));
    }
  }),
);
fs.rmSync(scratch, { recursive: true, force: true });
const count = (status) => results.filter((r) => r.status === status).length;
const wall = (performance.now() - began) / 1000;
console.log(`bench:smoke: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped in ${wall.toFixed(0)} s ` +
  `(load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
process.exit(count('failed') === 0 ? 0 : 1);
