// Bundles the Electron preload to CommonJS (a sandboxed preload cannot load ES modules or
// require files). The method and event names are read from the compiled contract and inlined,
// which keeps zod (and its ~450 KB) out of the preload. Run after `tsc -p tsconfig.main.json`.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const contract = await import(pathToFileURL(path.join(root, 'out/main/shared/contract.js')).href);

await build({
  entryPoints: [path.join(root, 'src-main/electron/preload.ts')],
  outfile: path.join(root, 'out/main/electron/preload.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  external: ['electron'],
  sourcemap: 'inline',
  define: {
    __VSSL_METHOD_NAMES__: JSON.stringify(contract.methodNames),
    __VSSL_EVENT_NAMES__: JSON.stringify(contract.eventNames),
  },
  logLevel: 'warning',
});

// tsc also emits an ES-module preload.js beside it; remove it so only the loadable one exists.
const { rmSync } = await import('node:fs');
for (const stale of ['preload.js', 'preload.js.map']) rmSync(path.join(root, 'out/main/electron', stale), { force: true });
