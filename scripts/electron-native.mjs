// Prepares better-sqlite3's native addon for Electron's ABI in .electron-native/<electron-version>/
// without touching node_modules/better-sqlite3/build (which stays built for Node, so the Node-side
// tests and the CLI keep working). The Electron main process passes the result to better-sqlite3
// as `nativeBinding`. Packaged apps do not need this: electron-builder rebuilds at packaging.
//
//   node scripts/electron-native.mjs [--force]
//
// Tries a prebuilt binary first (prebuild-install --runtime electron), then compiles against
// Electron's headers (node-gyp). Both need the network the first time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronVersion, projectRoot } from './electron-binary.mjs';

const require_ = (p) => path.join(projectRoot, 'node_modules', p);

export function nativeBindingPath(version = electronVersion()) {
  return path.join(projectRoot, '.electron-native', version, 'better_sqlite3.node');
}

function run(label, command, args, cwd, timeoutMs) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: process.env });
  if (result.error) return `${label}: ${result.error.code === 'ETIMEDOUT' ? `gave up after ${timeoutMs / 1000}s` : result.error.message}`;
  if (result.status !== 0) {
    const lines = `${result.stderr}\n${result.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
    // node-gyp spreads its explanation over several "ERR! stack" lines before the stack frames.
    const explanation = lines
      .filter((l) => /ERR! stack /.test(l) && !/ERR! stack\s+at /.test(l))
      .map((l) => l.replace(/^.*ERR! stack\s*/, ''))
      .join(' ');
    const telling = explanation || lines.find((l) => /err!|error|fail/i.test(l)) || lines.at(-1) || `exit code ${result.status}`;
    return `${label}: ${telling}`;
  }
  return null;
}

/** @returns {{ ok: true, path: string } | { ok: false, reason: string }} */
export function prepareElectronNative({ force = false, log = () => {} } = {}) {
  const version = electronVersion();
  const target = nativeBindingPath(version);
  if (!force && fs.existsSync(target)) return { ok: true, path: target };

  const work = path.join(projectRoot, '.electron-native', version, 'better-sqlite3');
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(require_('better-sqlite3'), work, {
    recursive: true,
    // The copy must not carry the Node build, or prebuild-install may think it is done.
    filter: (src) => !src.startsWith(path.join(require_('better-sqlite3'), 'build')),
  });
  const arch = process.arch;
  log(`Preparing better-sqlite3 for Electron ${version} (${process.platform}-${arch})…`);

  const prebuilt = run(
    'prebuild-install',
    process.execPath,
    [require_('prebuild-install/bin.js'), '--runtime', 'electron', '--target', version, '--arch', arch, '--platform', process.platform, '--verbose'],
    work,
    120_000,
  );
  let compiled = null;
  if (prebuilt !== null) {
    log(`No prebuilt binary (${prebuilt}); compiling against Electron's headers…`);
    compiled = run(
      'node-gyp',
      process.execPath,
      [require_('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', `--target=${version}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'],
      work,
      15 * 60_000,
    );
  }
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  if (compiled !== null || !fs.existsSync(built)) {
    fs.rmSync(work, { recursive: true, force: true });
    return { ok: false, reason: `could not prepare better-sqlite3 for Electron ${version} (${prebuilt}; ${compiled ?? 'no binary produced'})` };
  }
  fs.copyFileSync(built, target);
  fs.rmSync(work, { recursive: true, force: true });
  return { ok: true, path: target };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = prepareElectronNative({ force: process.argv.includes('--force'), log: (m) => console.error(m) });
  if (result.ok) {
    console.log(result.path);
  } else {
    console.error(`electron-native: ${result.reason}`);
    process.exitCode = 1;
  }
}
