import path from 'node:path';
import { ApiError } from '../../shared/errors.js';

export const PROJECT_FILE = 'project.vssl';
export const CACHE_DIR = 'cache';

/** Accepts either the project folder or its project.vssl file. */
export function projectDirFrom(input: string): string {
  const resolved = path.resolve(input);
  return path.basename(resolved) === PROJECT_FILE ? path.dirname(resolved) : resolved;
}

export function projectFile(dir: string): string {
  return path.join(dir, PROJECT_FILE);
}

export function cacheDir(dir: string, ...parts: string[]): string {
  return path.join(dir, CACHE_DIR, ...parts);
}

const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * The error for a write into the project's cache that the storage refused: it names the folder
 * and says it cannot be written, so no video is blamed for it.
 */
export function cacheWriteError(folder: string, err: unknown): ApiError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  const what = code && READ_ONLY_CODES.has(code) ? 'is read-only' : 'cannot be written';
  return new ApiError(
    'IO_ERROR',
    `The cache folder ${folder} ${what} (${detail}). Make it writable, or move the project to writable storage.`,
  );
}
