/** npm test on a machine without Debian's Chromium: it finds one the usual ways, or stops at once saying how to get one. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, INSTALL_CHROMIUM } from '../../scripts/find-chromium.mjs';
import { ROOT } from '../fixtures/run-cli.js';

let tmp: string;
let fakeChrome: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-find-chromium-'));
  fakeChrome = path.join(tmp, 'bin', 'google-chrome');
  fs.mkdirSync(path.dirname(fakeChrome));
  fs.writeFileSync(fakeChrome, '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(tmp, 'bin', 'chromium'), 'not executable', { mode: 0o644 });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const nothingElse = { folders: [] as string[], playwright: () => null };

describe('finding a Chromium for the end-to-end tests', () => {
  it('takes VSSL_CHROMIUM first, and says so when it names no executable', () => {
    expect(findChromium({ env: { VSSL_CHROMIUM: fakeChrome, PATH: '' }, ...nothingElse })).toEqual({ ok: true, path: fakeChrome, how: 'VSSL_CHROMIUM' });
    const wrong = findChromium({ env: { VSSL_CHROMIUM: path.join(tmp, 'nope'), PATH: path.join(tmp, 'bin') }, ...nothingElse });
    expect(wrong).toEqual({ ok: false, reason: expect.stringContaining(`VSSL_CHROMIUM is ${path.join(tmp, 'nope')}`) as string });
  });

  it('then the usual install folders, then chromium or google-chrome on PATH (executables only), then Playwright\'s own', () => {
    expect(findChromium({ env: { PATH: '' }, folders: [fakeChrome], playwright: () => null })).toMatchObject({ ok: true, path: fakeChrome });
    expect(findChromium({ env: { PATH: path.join(tmp, 'bin') }, ...nothingElse })).toEqual({ ok: true, path: fakeChrome, how: 'google-chrome on PATH' });
    expect(findChromium({ env: { PATH: '' }, folders: [], playwright: () => fakeChrome })).toEqual({ ok: true, path: fakeChrome, how: "Playwright's own Chromium" });
  });

  it('finds none on a bare machine and names the one command that installs one', () => {
    const none = findChromium({ env: { PATH: path.join(tmp, 'empty') }, ...nothingElse });
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toContain(INSTALL_CHROMIUM);
  });

  it('npm test stops before any test when it has no Chromium, with that command', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'test.mjs')], {
      cwd: ROOT,
      env: { ...process.env, VSSL_CHROMIUM: path.join(tmp, 'no-such-chrome') },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Install one with:\n  ${INSTALL_CHROMIUM}`);
    expect(run.stdout).not.toContain('type check');
  });
});
