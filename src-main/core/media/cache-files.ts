import { randomBytes } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { cacheWriteError } from '../project/project-files.js';
import type { Project } from '../project/project.js';
import { isProcessAlive } from '../project/project-lock.js';

export const POSTER_DIR = 'posters';
export const PROXY_DIR = 'proxies';

/** Marks files still being written; they are renamed to their final name only once complete. */
const TEMP_MARK = '.partial-';

/** A unique name next to `finalAbs` that keeps its extension (ffmpeg picks the format by it). */
export function tempPathFor(finalAbs: string): string {
  const ext = path.extname(finalAbs);
  return `${finalAbs.slice(0, -ext.length)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}${ext}`;
}

export function isTempName(name: string): boolean {
  return name.includes(TEMP_MARK);
}

/** The pid a temp name carries (`<name>.partial-<pid>-<hex><ext>`), or null when it carries none. */
export function tempWriterPid(name: string): number | null {
  const pid = Number(/\.partial-(\d+)-[0-9a-f]+/.exec(name)?.[1]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Moves a finished temp file to its final name (atomic on one file system). */
export async function commitTemp(tempAbs: string, finalAbs: string): Promise<void> {
  await fs.rename(tempAbs, finalAbs);
}

export async function removeQuietly(file: string): Promise<void> {
  await fs.rm(file, { force: true }).catch(() => undefined);
}

export async function ensureCacheDir(project: Project, dir: string): Promise<string> {
  const abs = project.cachePath(dir);
  try {
    await fs.mkdir(abs, { recursive: true });
  } catch (err) {
    throw cacheWriteError(abs, err);
  }
  return abs;
}

/**
 * Creates the (empty) temp file ffmpeg will overwrite, so a cache folder that cannot be written
 * fails here, as the cache's fault, instead of as an ffmpeg failure that blames the video.
 */
export async function claimTemp(tempAbs: string): Promise<void> {
  try {
    await fs.writeFile(tempAbs, '', { flag: 'wx' });
  } catch (err) {
    throw cacheWriteError(path.dirname(tempAbs), err);
  }
}

/** Where a cache file is recorded in the database: relative to cache/, with forward slashes. */
export function cacheRelPath(dir: string, name: string): string {
  return `${dir}/${name}`;
}

/**
 * Removes what a crash left in the poster and proxy folders: temp files of processes that are gone,
 * and finished files no row refers to (a crash between writing a poster and committing its row).
 * A temp file of a live process stays: that process may still be writing it. Synchronous on
 * purpose: it runs while the project opens, before any import can write new files.
 */
export function sweepCache(project: Project, referenced: ReadonlySet<string>): number {
  let removed = 0;
  for (const dir of [POSTER_DIR, PROXY_DIR]) {
    let names: string[];
    try {
      names = fsSync.readdirSync(project.cachePath(dir));
    } catch {
      continue; // not made yet
    }
    for (const name of names) {
      if (isTempName(name)) {
        const pid = tempWriterPid(name);
        if (pid !== null && isProcessAlive(pid)) continue;
      } else if (referenced.has(cacheRelPath(dir, name))) {
        continue;
      }
      fsSync.rmSync(project.cachePath(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
