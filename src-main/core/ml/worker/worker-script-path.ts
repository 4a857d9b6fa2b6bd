import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER_FILE = 'training-worker.js';

/**
 * The file a worker thread runs: compiled JavaScript beside this module. A worker cannot run the
 * TypeScript sources, so when this module itself is TypeScript (vitest), the build in out/main is
 * used and must exist.
 */
export function trainingWorkerScriptPath(moduleUrl: string = import.meta.url): string {
  const modulePath = fileURLToPath(moduleUrl);
  const dir = path.dirname(modulePath);
  if (!modulePath.endsWith('.ts')) return path.join(dir, WORKER_FILE);
  // src-main/core/ml/worker → the repository root, then the same place under out/main.
  const root = path.resolve(dir, '..', '..', '..', '..');
  const built = path.join(root, 'out', 'main', path.relative(path.join(root, 'src-main'), dir), WORKER_FILE);
  if (!fs.existsSync(built)) {
    throw new Error(`The training worker is not built (${built} is missing): run npm run build first.`);
  }
  return built;
}
