// Finds the Electron binary WITHOUT downloading it (require('electron') would start a download
// when the binary is missing). Shared by scripts/start.mjs and the Electron Playwright test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(projectRoot, 'node_modules', 'electron');

/** @returns {string} */
export function electronVersion() {
  return JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
}

/**
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 * where `path` is an Electron executable that exists on disk.
 */
export function findElectronBinary() {
  if (!fs.existsSync(path.join(electronDir, 'package.json'))) {
    return { ok: false, reason: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!relative && !override) {
    return { ok: false, reason: `the Electron ${electronVersion()} binary was never downloaded (node_modules/electron/path.txt is missing)` };
  }
  const binary = override
    ? path.join(override, relative ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'))
    : path.join(electronDir, 'dist', relative);
  if (!fs.existsSync(binary)) return { ok: false, reason: `the Electron binary ${binary} is missing` };
  return { ok: true, path: binary };
}

/**
 * Why this machine cannot show an Electron window, or null when it might.
 * @returns {string | null}
 */
export function displayProblem() {
  if (process.platform !== 'linux') return null;
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return null;
  return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}

/**
 * Runs `electron --version` with a time limit: catches missing shared libraries and the like.
 * @param {string} binary
 * @param {number} [timeoutMs]
 * @returns {{ ok: true, version: string } | { ok: false, reason: string }}
 */
export function probeElectron(binary, timeoutMs = 15_000) {
  const result = spawnSync(binary, ['--version'], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  if (result.error) return { ok: false, reason: `${path.basename(binary)} could not run: ${result.error.message}` };
  if (result.status !== 0) {
    const line = (result.stderr || result.stdout || '').trim().split('\n').pop() ?? '';
    return { ok: false, reason: `${path.basename(binary)} --version failed${line ? `: ${line}` : ''}` };
  }
  return { ok: true, version: result.stdout.trim() };
}
