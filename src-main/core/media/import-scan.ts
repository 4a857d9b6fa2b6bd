import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImportFailure } from '../../shared/dto.js';
import { fileErrorReason } from './media-failure.js';
import { isVideoFileName } from './video-extensions.js';

export interface ScanResult {
  /** Files to try, in a stable order, each once. */
  files: string[];
  /** Folders that could not be read. */
  failures: ImportFailure[];
}

/**
 * Expands what the person chose into files: folders become the video files in them (their
 * sub-folders too when `recursive`); anything named explicitly is always tried, so a missing or
 * oddly named file gets its own failure reason instead of vanishing. Hidden entries in folders
 * (".DS_Store", macOS "._clip.mp4" resource forks) are skipped.
 */
export async function expandPaths(
  paths: readonly string[],
  recursive: boolean,
  signal: AbortSignal,
  onFound: (count: number) => void,
): Promise<ScanResult> {
  const files = new Set<string>();
  const failures: ImportFailure[] = [];
  const visitedDirs = new Set<string>();

  const walk = async (dir: string): Promise<void> => {
    signal.throwIfAborted();
    let real: string;
    let entries: Dirent[];
    try {
      real = await fs.realpath(dir);
      if (visitedDirs.has(real)) return; // a symlink loop, or a folder chosen twice
      visitedDirs.add(real);
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      failures.push({ path: dir, reason: `cannot read this folder: ${fileErrorReason(err)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await fs.stat(full).catch(() => null);
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDir) {
        if (recursive) await walk(full);
      } else if (isFile && isVideoFileName(entry.name)) {
        files.add(full);
        if (files.size % 100 === 0) onFound(files.size);
      }
    }
  };

  for (const given of paths) {
    const full = path.resolve(given);
    const stat = await fs.stat(full).catch(() => null);
    if (stat?.isDirectory()) await walk(full);
    else files.add(full); // a file, or a path that does not exist: the import says which
  }
  onFound(files.size);
  return { files: [...files], failures };
}
