import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The version in package.json, found by walking up from this file (works from src and out). */
export function appVersion(): string {
  if (cached) return cached;
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 6; i++) {
    const candidate = new URL('package.json', dir);
    try {
      const pkg = JSON.parse(fs.readFileSync(fileURLToPath(candidate), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'vssl-studio' && pkg.version) {
        cached = pkg.version;
        return cached;
      }
    } catch {
      // not at this level
    }
    dir = new URL('..', dir);
  }
  cached = '0.0.0';
  return cached;
}
