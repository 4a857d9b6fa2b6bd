import path from 'node:path';

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
