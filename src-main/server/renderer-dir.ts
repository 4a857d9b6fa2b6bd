import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** out/renderer of this checkout, found by walking up to the package root (works from src and out). */
export function defaultRendererDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    try {
      const parsed = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string };
      if (parsed.name === 'vssl-studio') return path.join(dir, 'out', 'renderer');
    } catch {
      // not the root yet
    }
    dir = path.dirname(dir);
  }
  return path.resolve('out', 'renderer');
}
