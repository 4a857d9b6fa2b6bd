import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The folder holding the wasm backend's .wasm binaries on disk (never a URL: the app works offline). */
export function wasmBinaryDir(): string {
  const packageJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(packageJson), 'dist') + path.sep;
}
