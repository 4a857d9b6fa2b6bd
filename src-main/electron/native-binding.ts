import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';

/**
 * The better_sqlite3.node to load in this Electron. A packaged app carries one rebuilt for
 * Electron by electron-builder, so the default lookup works; a development checkout keeps
 * node_modules built for Node (tests and CLI need that) and uses the copy prepared in
 * .electron-native/<electron-version>/ by scripts/electron-native.mjs.
 */
export function electronNativeBinding(appRoot: string): string | undefined {
  if (process.env.VSSL_NATIVE_BINDING) return process.env.VSSL_NATIVE_BINDING;
  if (app.isPackaged) return undefined;
  const file = path.join(appRoot, '.electron-native', process.versions.electron, 'better_sqlite3.node');
  if (!fs.existsSync(file)) {
    throw new Error(
      `better-sqlite3 has not been prepared for Electron ${process.versions.electron} (${file} is missing). ` +
        'Run "node scripts/electron-native.mjs" (npm start does this), then start again.',
    );
  }
  return file;
}
