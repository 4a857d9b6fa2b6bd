import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProjectSession } from '../core-context.js';
import { cacheRelPath, ensureCacheDir, POSTER_DIR } from './cache-files.js';
import { hashFileStem, sampledContentHash } from './content-hash.js';
import { fileErrorReason, reasonOrRethrow } from './media-failure.js';
import type { MediaTools } from './media-tools.js';
import { playabilityOf } from './playability.js';
import { makePoster } from './poster.js';
import { probeVideo, type VideoProbe } from './probe.js';
import { makeProxy } from './proxy.js';
import { moveRow } from './relink.js';
import { removeCacheFileIfUnused } from './unused-cache.js';
import type { VideoFields, VideoRow } from './video-repository.js';

export type FileOutcome =
  | { kind: 'imported'; id: number; needsProxy: boolean }
  | { kind: 'duplicate'; id: number | null }
  | { kind: 'relinked'; id: number }
  | { kind: 'failed'; id: number; reason: string };

export interface ImportFileDeps {
  tools: MediaTools;
  session: ProjectSession;
  signal: AbortSignal;
  /** Content hashes already taken by a file of this import: a second file with one is a duplicate. */
  claimed: Set<string>;
  /** Make proxies inside the import instead of leaving them to the background proxy job. */
  inlineProxy: boolean;
}

/**
 * Imports one file: stat, hash, dedupe or relink, probe, poster (which also proves the frames
 * decode), commit. A file that cannot be used is committed as a 'failed' row with its reason.
 * Cancel (the signal) throws and commits nothing for this file.
 */
export async function importFile(deps: ImportFileDeps, file: string): Promise<FileOutcome> {
  const { session, signal } = deps;
  const videos = session.videos;
  let stat: Stats;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    return fail(deps, file, fileErrorReason(err), null, null);
  }
  if (stat.isDirectory()) return fail(deps, file, 'not a regular file (it is a folder)', null, null);
  if (!stat.isFile()) return fail(deps, file, 'not a regular file', null, stat);
  if (stat.size === 0) return fail(deps, file, 'file is empty', null, stat);

  let hash: string;
  try {
    hash = await sampledContentHash(file, signal);
  } catch (err) {
    signal.throwIfAborted();
    return fail(deps, file, fileErrorReason(err), null, stat);
  }

  // Decided synchronously, before any await, so two files of this import never both claim a hash.
  const atPath = videos.byPath(file);
  if (atPath && atPath.hash === hash && atPath.status !== 'failed') {
    if (atPath.status === 'missing') moveRow(videos, atPath, file, stat);
    return { kind: 'duplicate', id: atPath.id };
  }
  // A file earlier in this import has the same content (its row may not be committed yet).
  if (deps.claimed.has(hash)) return { kind: 'duplicate', id: null };
  deps.claimed.add(hash);
  const twins = videos.byHash(hash).filter((row) => row.status !== 'failed' && row.path !== file);
  for (const twin of twins) {
    if (await exists(twin.path)) return { kind: 'duplicate', id: twin.id };
  }
  const moved = twins[0];
  if (moved && !atPath) return { kind: 'relinked', id: moveRow(videos, moved, file, stat).id };

  return importNew(deps, file, stat, hash, atPath);
}

async function importNew(
  deps: ImportFileDeps,
  file: string,
  stat: Stats,
  hash: string,
  previous: VideoRow | null,
): Promise<FileOutcome> {
  const { tools, session, signal } = deps;
  let probe: VideoProbe;
  let probeJson: string;
  try {
    ({ probe, json: probeJson } = await probeVideo(tools, file, stat.size, signal));
  } catch (err) {
    return fail(deps, file, reasonOrRethrow(err), hash, stat);
  }

  const stem = hashFileStem(hash);
  const posterRel = cacheRelPath(POSTER_DIR, `${stem}.jpg`);
  await ensureCacheDir(session.project, POSTER_DIR);
  try {
    await makePoster(tools, file, probe, session.project.cachePath(posterRel), signal);
  } catch (err) {
    return fail(deps, file, reasonOrRethrow(err), hash, stat, probe, probeJson);
  }

  const { playable } = playabilityOf(file, probe);
  let proxy: Pick<VideoFields, 'proxy_state' | 'proxy_path' | 'status' | 'error'> = playable
    ? { proxy_state: 'none', proxy_path: null, status: 'ready', error: null }
    : { proxy_state: 'pending', proxy_path: null, status: 'processing', error: null };
  if (!playable && deps.inlineProxy) {
    try {
      const rel = await makeProxy(tools, session.project, file, probe, stem, { signal });
      proxy = { proxy_state: 'ready', proxy_path: rel, status: 'ready', error: null };
    } catch (err) {
      let reason: string;
      try {
        reason = reasonOrRethrow(err);
      } catch (fatal) {
        // Cancelled after the poster was written: it belongs to no row, so it goes.
        await removeCacheFileIfUnused(session, posterRel);
        throw fatal;
      }
      proxy = { proxy_state: 'failed', proxy_path: null, status: 'failed', error: reason };
    }
  }

  const row = session.videos.upsert({
    ...probeFields(probe, probeJson),
    path: file,
    name: path.basename(file),
    hash,
    size: stat.size,
    mtime_ms: stat.mtimeMs,
    playable: playable ? 1 : 0,
    poster_path: posterRel,
    ...proxy,
  });
  await releasePreviousCache(deps, previous, row);
  if (proxy.status === 'failed') return { kind: 'failed', id: row.id, reason: proxy.error ?? 'failed' };
  return { kind: 'imported', id: row.id, needsProxy: proxy.proxy_state === 'pending' };
}

/** Commits a failed row (so the Library shows the file and why) and reports the failure. */
async function fail(
  deps: ImportFileDeps,
  file: string,
  reason: string,
  hash: string | null,
  stat: Stats | null,
  probe?: VideoProbe,
  probeJson?: string,
): Promise<FileOutcome> {
  const previous = deps.session.videos.byPath(file);
  const row = deps.session.videos.upsert({
    ...(probe && probeJson ? probeFields(probe, probeJson) : emptyProbeFields()),
    path: file,
    name: path.basename(file),
    hash,
    size: stat?.size ?? null,
    mtime_ms: stat?.mtimeMs ?? null,
    status: 'failed',
    error: reason,
    playable: 0,
    proxy_state: 'none',
    proxy_path: null,
    poster_path: null,
  });
  await releasePreviousCache(deps, previous, row);
  return { kind: 'failed', id: row.id, reason };
}

type ProbeFields = Pick<
  VideoFields,
  | 'duration_sec' | 'frame_count' | 'avg_frame_rate' | 'real_frame_rate' | 'fps' | 'start_time' | 'width'
  | 'height' | 'codec' | 'pixel_format' | 'container' | 'rotation' | 'has_audio' | 'probe_json'
>;

function probeFields(probe: VideoProbe, probeJson: string): ProbeFields {
  return {
    duration_sec: probe.durationSec,
    frame_count: probe.frameCount,
    avg_frame_rate: probe.avgFrameRate,
    real_frame_rate: probe.realFrameRate,
    fps: probe.fps,
    start_time: probe.startTime,
    width: probe.width,
    height: probe.height,
    codec: probe.codec,
    pixel_format: probe.pixelFormat,
    container: probe.container,
    rotation: probe.rotation,
    has_audio: probe.hasAudio ? 1 : 0,
    probe_json: probeJson,
  };
}

function emptyProbeFields(): ProbeFields {
  return {
    duration_sec: null, frame_count: null, avg_frame_rate: null, real_frame_rate: null, fps: null,
    start_time: null, width: null, height: null, codec: null, pixel_format: null, container: null,
    rotation: 0, has_audio: 0, probe_json: null,
  };
}

/** A re-import replaced this path's row: its old poster/proxy go if nothing else uses them. */
async function releasePreviousCache(deps: ImportFileDeps, previous: VideoRow | null, now: VideoRow): Promise<void> {
  if (!previous) return;
  for (const rel of [previous.poster_path, previous.proxy_path]) {
    if (rel && rel !== now.poster_path && rel !== now.proxy_path) await removeCacheFileIfUnused(deps.session, rel);
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

