// Finds a Chromium for the end-to-end tests and the browser benchmarks the usual ways, without ever
// downloading one: VSSL_CHROMIUM, Debian's /usr/bin/chromium, a Chromium or Chrome on PATH or in its
// usual install folder, then the browser `npx playwright install chromium` put in Playwright's cache.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The one command that gets a Chromium on any machine Playwright supports. */
export const INSTALL_CHROMIUM = 'npx playwright install chromium';

const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

/** Where browsers are installed when they are not on PATH, per platform. */
function installFolders(platform, env) {
  if (platform === 'darwin') {
    return [
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean);
    return roots.flatMap((root) => [
      path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name, env, platform) {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const names = platform === 'win32' ? [`${name}.exe`] : [name];
  for (const dir of dirs) for (const file of names) if (isExecutable(path.join(dir, file))) return path.join(dir, file);
  return null;
}

/** The Chromium Playwright downloaded (`npx playwright install chromium`), if it is there. */
function playwrightChromium() {
  try {
    const require = createRequire(import.meta.url);
    const file = require('playwright-core').chromium.executablePath();
    return file && isExecutable(file) ? file : null;
  } catch {
    return null;
  }
}

/**
 * @param {{ env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform, folders?: string[], playwright?: () => string | null }} [options]
 * @returns {{ ok: true, path: string, how: string } | { ok: false, reason: string }}
 */
export function findChromium({ env = process.env, platform = process.platform, folders, playwright = playwrightChromium } = {}) {
  if (env.VSSL_CHROMIUM) {
    return isExecutable(env.VSSL_CHROMIUM)
      ? { ok: true, path: env.VSSL_CHROMIUM, how: 'VSSL_CHROMIUM' }
      : { ok: false, reason: `VSSL_CHROMIUM is ${env.VSSL_CHROMIUM}, which is not an executable file` };
  }
  for (const file of folders ?? installFolders(platform, env)) if (isExecutable(file)) return { ok: true, path: file, how: 'usual install folder' };
  for (const name of ON_PATH) {
    const file = onPath(name, env, platform);
    if (file) return { ok: true, path: file, how: `${name} on PATH` };
  }
  const downloaded = playwright();
  if (downloaded) return { ok: true, path: downloaded, how: "Playwright's own Chromium" };
  return {
    ok: false,
    reason: `no Chromium or Chrome found (VSSL_CHROMIUM, ${ON_PATH.join('/')} on PATH, the usual install folders, Playwright's browsers). Install one with: ${INSTALL_CHROMIUM}`,
  };
}

/** The Chromium to launch, or the path Playwright reports missing (so its error names what to install). */
export function chromiumForTests() {
  const found = findChromium();
  return found.ok ? found.path : (process.env.VSSL_CHROMIUM ?? '/usr/bin/chromium');
}
