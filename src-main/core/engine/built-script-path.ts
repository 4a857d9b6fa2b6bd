import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The file a worker thread runs: compiled JavaScript `file` beside the module at `moduleUrl`. A worker
 * cannot run the TypeScript sources, so when that module is TypeScript (vitest), the build in out/main
 * is used and must exist.
 */
export function builtScriptPath(file: string, moduleUrl: string): string {
  const modulePath = fileURLToPath(moduleUrl);
  const dir = path.dirname(modulePath);
  if (!modulePath.endsWith('.ts')) return path.join(dir, file);
  // …/src-main/<dir> → the same place under …/out/main.
  const marker = `${path.sep}src-main${path.sep}`;
  const at = dir.lastIndexOf(marker);
  if (at < 0) throw new Error(`${modulePath} is not under src-main, so its built worker script cannot be found.`);
  const built = path.join(dir.slice(0, at), 'out', 'main', dir.slice(at + marker.length), file);
  if (!fs.existsSync(built)) {
    throw new Error(`The worker script is not built (${built} is missing): run npm run build first.`);
  }
  return built;
}
