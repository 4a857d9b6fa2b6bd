#!/usr/bin/env node
/**
 * Reliability soak: a real `vssl serve` under `--clients` concurrent API clients for `--minutes`, each
 * labelling its own clips, reviewing its own pseudo-labels and playing media (range requests), while a
 * folder import and a FixMatch training run go on in the server and a second CLI process (`vssl videos
 * --json`, a reader) opens the project every `--reader-every` seconds. Then: every job and run is in the
 * state it should be (none "interrupted"), the server stops cleanly, `PRAGMA quick_check` says ok and
 * every acknowledged label (the last one each client was told was saved) is in the database file.
 * Reports requests served, errors, latency (median/p95/max per kind of request) and the server's memory
 * over time. Prints one JSON object; exits 1 when a check fails. Needs `npm run build` first.
 *
 *   node bench/reliability-soak.mjs [--minutes 10] [--clients 20] [--reader-every 3] [--smoke]
 * --smoke: 4 clients for 20 s, a one-epoch run on 4×32×32 clips.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { argsWithoutSmoke, CLI, findFfmpeg, report, requireBuilt, round, serve, SMOKE, summary } from './lib/harness.mjs';
import { residentMemory } from './lib/process-watch.mjs';

const { values } = parseArgs({
  args: argsWithoutSmoke(),
  options: {
    minutes: { type: 'string', default: SMOKE ? String(20 / 60) : '10' },
    clients: { type: 'string', default: SMOKE ? '4' : '20' },
    'reader-every': { type: 'string', default: SMOKE ? '2' : '3' },
    videos: { type: 'string', default: SMOKE ? '3' : '12' },
    'import-videos': { type: 'string', default: SMOKE ? '3' : '30' },
  },
});
const DURATION_MS = Number(values.minutes) * 60_000;
const CLIENTS = Number(values.clients);
const READER_EVERY_MS = Number(values['reader-every']) * 1000;
const VIDEOS = Number(values.videos);
const IMPORT_VIDEOS = Number(values['import-videos']);
/** Small clips keep the training run going through the soak without starving the server of both cores. */
const TRAIN = SMOKE ? { budget: 'epochs', epochs: 1, frames: 4, size: 32 } : { budget: 'epochs', epochs: 200, frames: 8, size: 64 };

requireBuilt();
const ffmpeg = await findFfmpeg();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = (items) => items[Math.floor(Math.random() * items.length)];

function makeVideo(file, seconds, hue) {
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=160x120:rate=10,hue=h=${hue}`,
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '10', '-movflags', '+faststart', file]);
}

/** Every request a client makes: its kind, how long it took, and whether it was answered without error. */
const requests = [];
const errors = [];

async function timed(kind, call) {
  const started = performance.now();
  try {
    const value = await call();
    requests.push({ kind, ms: performance.now() - started, ok: true });
    return value;
  } catch (error) {
    requests.push({ kind, ms: performance.now() - started, ok: false });
    if (errors.length < 50) errors.push(`${kind}: ${error.message}`);
    return undefined;
  }
}

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(500);
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-bench-soak-'));
let server = null;
let exitCode = 0;
try {
  const projectDir = path.join(work, 'project');
  const importDir = path.join(work, 'arriving');
  fs.mkdirSync(path.join(work, 'library'));
  fs.mkdirSync(importDir);
  const env = { ...process.env, VSSL_USER_DATA: path.join(work, 'user-data') };
  for (let i = 0; i < VIDEOS; i++) makeVideo(path.join(work, 'library', `cam${i}.mp4`), 30, (i * 37) % 360);
  for (let i = 0; i < IMPORT_VIDEOS; i++) makeVideo(path.join(importDir, `new${i}.mp4`), 6, (i * 53) % 360);
  execFileSync(process.execPath, [CLI, 'init', projectDir, '--name', 'Soak'], { env, stdio: 'ignore' });
  execFileSync(process.execPath, [CLI, 'import', projectDir, path.join(work, 'library')], { env, stdio: 'ignore' });

  server = await serve(projectDir, env);
  const { token } = server;
  const origin = new URL(server.url).origin;
  const classes = [];
  for (const name of ['walk', 'run', 'stand']) classes.push((await server.api('classes:create', { name })).id);
  const videos = await server.api('videos:list', {});
  const clips = (await Promise.all(videos.map((v) => server.api('clips:list', { videoId: v.id })))).flat();

  // Set-up, not measured: a few labels per class and a quick supervised run whose predictions review works on.
  const expected = new Map();
  const seeds = classes.length * 6;
  for (let i = 0; i < seeds; i++) {
    const clip = clips[Math.floor((i * clips.length) / seeds)];
    const saved = await server.api('labels:set', { clipId: clip.id, classId: classes[i % classes.length] });
    expected.set(saved.id, saved.classId);
  }
  const options = await server.api('train:options', {});
  const quick = await server.api('train:start', { settings: { ...options.defaults.supervised, budget: 'epochs', epochs: 1, frames: 4, size: 32 }, name: 'for review' });
  await waitFor('the review run', async () => ['succeeded'].includes((await server.api('runs:get', { id: quick.id })).status), 10 * 60_000);

  // Each client owns the clips i ≡ c (mod clients): half it labels, half it reviews. Nobody else touches them,
  // so the last label each was told was saved is what the file must hold.
  const owned = Array.from({ length: CLIENTS }, () => ({ label: [], review: new Set() }));
  clips.filter((c) => !expected.has(c.id)).forEach((clip, i) => {
    const mine = owned[i % CLIENTS];
    if (Math.floor(i / CLIENTS) % 2 === 0) mine.label.push(clip.id);
    else mine.review.add(clip.id);
  });

  const api = (method, params) =>
    fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(params),
    }).then(async (response) => {
      const body = await response.json();
      if (body.error) throw new Error(`${response.status} ${body.error.message}`);
      return body.result;
    });
  const media = async (videoId) => {
    const size = videos.find((v) => v.id === videoId)?.size ?? 65_536;
    const start = Math.floor(Math.random() * Math.max(1, size - 65_536));
    const response = await fetch(`${origin}/media/${videoId}/video`, {
      headers: { Authorization: `Bearer ${token}`, Range: `bytes=${start}-${start + 65_535}` },
    });
    const bytes = (await response.arrayBuffer()).byteLength;
    if (response.status !== 206 || bytes === 0) throw new Error(`${response.status}, ${bytes} bytes`);
  };

  const began = Date.now();
  const stopAt = began + DURATION_MS;
  const memory = [];
  const sampler = setInterval(() => {
    const rss = residentMemory(server.pid);
    if (rss) memory.push({ atSec: round((Date.now() - began) / 1000), rssMiB: round(rss.rss / 2 ** 20) });
  }, 5000);

  const training = await api('train:start', { settings: { ...options.defaults.fixmatch, ...TRAIN }, name: 'soak run' });
  let importJob = null;
  const importer = (async () => {
    await sleep(Math.min(10_000, DURATION_MS / 10));
    importJob = (await api('videos:import', { paths: [importDir] })).jobId;
  })();

  const reader = { runs: 0, failures: [], ms: [] };
  const readerLoop = (async () => {
    while (Date.now() < stopAt) {
      const started = performance.now();
      const code = await new Promise((resolve) => {
        const child = spawn(process.execPath, [CLI, 'videos', projectDir, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        child.stderr.on('data', (chunk) => (err += chunk));
        child.once('exit', (exit) => {
          let listed = -1;
          try {
            listed = JSON.parse(out).length;
          } catch {
            /* counted as a failure below */
          }
          if (exit !== 0 || listed < VIDEOS) reader.failures.push(`exit ${exit}, ${listed} videos: ${err.trim().split('\n').pop()}`);
          resolve(exit);
        });
      });
      reader.runs++;
      if (code === 0) reader.ms.push(performance.now() - started);
      await sleep(READER_EVERY_MS);
    }
  })();

  async function client(mine) {
    const toReview = new Set(mine.review);
    while (Date.now() < stopAt) {
      const roll = Math.random();
      if (roll < 0.4 && mine.label.length > 0) {
        const clipId = pick(mine.label);
        const classId = Math.random() < 0.1 ? null : pick(classes);
        const saved = await timed('labels:set', () => api('labels:set', { clipId, classId }));
        if (saved) expected.set(clipId, saved.classId);
      } else if (roll < 0.6 && toReview.size > 0) {
        const page = await timed('review:queue', () =>
          api('review:queue', { runId: quick.id, strategy: 'least-confidence', offset: Math.floor(Math.random() * Math.max(1, clips.length - 50)), limit: 50 }),
        );
        const item = page?.items.find((it) => toReview.has(it.clipId) && it.decision === null);
        if (item) {
          const action = pick(['accept', 'accept', 'correct', 'reject']);
          const classId = action === 'correct' ? pick(classes.filter((c) => c !== item.predictedClassId)) : undefined;
          const applied = await timed('review:apply', () => api('review:apply', { runId: quick.id, clipId: item.clipId, action, ...(classId ? { classId } : {}) }));
          if (applied) {
            toReview.delete(item.clipId);
            expected.set(item.clipId, applied.labelClassId);
          }
        }
      } else if (roll < 0.9) {
        await timed('media range', () => media(pick(videos).id));
      } else {
        await timed('labels:stats', () => api('labels:stats', {}));
      }
      await sleep(50 + Math.random() * 200);
    }
  }
  await Promise.all([...owned.map(client), readerLoop, importer]);
  clearInterval(sampler);

  // The state every job and run should be in now: nothing interrupted, the import done, the run still going.
  const imported = await waitFor('the import', async () => {
    const job = (await api('jobs:list', {})).find((j) => j.id === importJob);
    return job && !['queued', 'running'].includes(job.state) ? job : null;
  }, 10 * 60_000);
  const runNow = await api('runs:get', { id: training.id });
  if (runNow.status === 'running') await api('train:cancel', { runId: training.id });
  await waitFor('the training run to stop', async () => !['queued', 'running'].includes((await api('runs:get', { id: training.id })).status), 120_000);
  const jobsAtEnd = await api('jobs:list', {});
  const videosAtEnd = await api('videos:list', {});
  const serverExit = await server.stop();
  server = null;

  const db = new Database(path.join(projectDir, 'project.vssl'), { readonly: true });
  const quickCheck = db.pragma('quick_check', { simple: true });
  const stored = new Map();
  for (const row of db.prepare('SELECT clip_id, class_id FROM labels').all()) stored.set(row.clip_id, row.class_id);
  const interruptedRuns = db.prepare("SELECT COUNT(*) AS n FROM runs WHERE status = 'interrupted'").get().n;
  db.close();
  const missing = [...expected].filter(([clipId, classId]) => (stored.get(clipId) ?? null) !== classId);

  const kinds = [...new Set(requests.map((r) => r.kind))].sort();
  const seconds = DURATION_MS / 1000;
  const checks = {
    quickCheck,
    acknowledgedLabels: expected.size,
    acknowledgedLabelsMissingOrWrong: missing.length,
    interruptedJobs: jobsAtEnd.filter((j) => j.state === 'interrupted').length,
    interruptedRuns,
    importState: imported.state,
    importedVideos: videosAtEnd.length - VIDEOS,
    failedVideos: videosAtEnd.filter((v) => v.status === 'failed').length,
    trainingAtSoakEnd: runNow.status,
    trainingError: runNow.error ?? null,
    trainingEpochsDone: runNow.epochsDone,
    serverExit,
    readerRuns: reader.runs,
    readerFailures: reader.failures.length,
  };
  const passed =
    quickCheck === 'ok' && missing.length === 0 && checks.interruptedJobs === 0 && interruptedRuns === 0 && imported.state === 'succeeded' &&
    checks.importedVideos === IMPORT_VIDEOS && checks.failedVideos === 0 && ['running', 'succeeded'].includes(runNow.status) &&
    serverExit === 0 && reader.failures.length === 0 && errors.length === 0;
  if (!passed) exitCode = 1;
  report({
    bench: 'reliability-soak',
    passed,
    minutes: round(DURATION_MS / 60_000),
    clients: CLIENTS,
    library: { videos: VIDEOS, clips: clips.length, importedDuringSoak: IMPORT_VIDEOS },
    training: { method: 'fixmatch', ...TRAIN },
    requests: {
      served: requests.length,
      perSecond: round(requests.length / seconds),
      errors: requests.filter((r) => !r.ok).length,
      latencyMs: summary(requests.map((r) => r.ms)),
      byKind: Object.fromEntries(kinds.map((kind) => {
        const mine = requests.filter((r) => r.kind === kind);
        return [kind, { n: mine.length, errors: mine.filter((r) => !r.ok).length, ...summary(mine.map((r) => r.ms)) }];
      })),
      firstErrors: errors.slice(0, 10),
    },
    reader: { command: 'vssl videos DIR --json', runs: reader.runs, ms: summary(reader.ms), failures: reader.failures.slice(0, 5) },
    memory: {
      startMiB: memory[0]?.rssMiB ?? null,
      peakMiB: memory.length ? Math.max(...memory.map((m) => m.rssMiB)) : null,
      endMiB: memory[memory.length - 1]?.rssMiB ?? null,
      every30s: memory.filter((m, i) => i % 6 === 0),
    },
    checks,
  });
} finally {
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
