import fs from 'node:fs/promises';
import type { Project } from '../project/project.js';
import { cacheRelPath, claimTemp, commitTemp, ensureCacheDir, PROXY_DIR, removeQuietly, tempPathFor } from './cache-files.js';
import { MediaFailure } from './media-failure.js';
import type { MediaTools } from './media-tools.js';
import type { VideoProbe } from './probe.js';
import { proxyEncoderFor } from './proxy-encoder.js';
import { lastErrorLine, runTool } from './run-tool.js';

export const PROXY_MAX_HEIGHT = 1080;

/** Even dimensions (4:2:0 needs them), height capped at 1080, aspect kept. */
const SCALE =
  `scale='trunc(iw*min(1,${PROXY_MAX_HEIGHT}/ih)/2)*2':'trunc(min(ih,${PROXY_MAX_HEIGHT})/2)*2'`;

export interface ProxyOptions {
  signal?: AbortSignal;
  /** Fraction of this file done, 0..1. */
  onProgress?: (fraction: number) => void;
}

/**
 * Makes a browser-playable copy of `file` in cache/proxies/<stem>.mp4 (or .webm) and returns its
 * path relative to the cache folder. Every frame is kept with its original timestamp
 * (`-vsync passthrough -copyts`), so frame indices and times in the proxy are the original's.
 * The copy is written under a temp name and renamed only when complete.
 */
export async function makeProxy(
  tools: MediaTools,
  project: Project,
  file: string,
  probe: VideoProbe,
  stem: string,
  options: ProxyOptions = {},
): Promise<string> {
  const encoder = await proxyEncoderFor(tools);
  await ensureCacheDir(project, PROXY_DIR);
  const name = `${stem}${encoder.ext}`;
  const finalAbs = project.cachePath(PROXY_DIR, name);
  // Proxies are named by content: one left by an earlier import of the same file is reused.
  if (await isNonEmptyFile(finalAbs)) return cacheRelPath(PROXY_DIR, name);
  const temp = tempPathFor(finalAbs);
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', file,
    '-map', `0:${probe.streamIndex}`, '-map', '0:a:0?', '-vf', SCALE,
    '-vsync', 'passthrough', '-copyts', ...encoder.args, '-progress', 'pipe:1', '-nostats', temp];
  const duration = probe.durationSec;
  const timeoutMs = duration === null ? 6 * 3600_000 : 120_000 + duration * 20_000;
  await claimTemp(temp);
  try {
    const result = await runTool(tools.ffmpeg, args, {
      signal: options.signal,
      timeoutMs,
      onStdout: (chunk) => {
        const fraction = progressFrom(chunk, probe);
        if (fraction !== null) options.onProgress?.(fraction);
      },
    });
    if (result.code !== 0 || !(await isNonEmptyFile(temp))) {
      throw new MediaFailure(
        `no playable copy could be made: ${lastErrorLine(result.stderr, file) || `ffmpeg exited with ${result.code}`}`,
      );
    }
    await commitTemp(temp, finalAbs);
    return cacheRelPath(PROXY_DIR, name);
  } finally {
    await removeQuietly(temp);
  }
}

/** Reads ffmpeg's `-progress` key=value lines: frames done over frames in the file. */
function progressFrom(chunk: string, probe: VideoProbe): number | null {
  const frames = [...chunk.matchAll(/^frame=(\d+)/gm)].pop()?.[1];
  if (frames !== undefined && probe.frameCount) return Math.min(1, Number(frames) / probe.frameCount);
  const micros = [...chunk.matchAll(/^out_time_(?:ms|us)=(\d+)/gm)].pop()?.[1];
  if (micros !== undefined && probe.durationSec) {
    const seconds = Number(micros) / 1e6 - (probe.startTime ?? 0);
    return Math.min(1, Math.max(0, seconds / probe.durationSec));
  }
  return null;
}

async function isNonEmptyFile(file: string): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => null);
  return stat !== null && stat.isFile() && stat.size > 0;
}
