import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { displayProblem, findElectronBinary, probeElectron, projectRoot } from '../../scripts/electron-binary.mjs';
import { prepareElectronNative } from '../../scripts/electron-native.mjs';

/**
 * The desktop smoke test. Finding the binary never downloads it; where no Electron can start
 * the test is skipped and says why.
 */
function whyElectronCannotRun(): string | null {
  const binary = findElectronBinary();
  if (!binary.ok) return binary.reason;
  const display = displayProblem();
  if (display) return display;
  const probe = probeElectron(binary.path);
  if (!probe.ok) return probe.reason;
  const native = prepareElectronNative();
  return native.ok ? null : native.reason;
}

test('desktop app: the window opens, the bridge works, a project is created through the core', async () => {
  test.setTimeout(20 * 60_000); // preparing better-sqlite3 for Electron may compile it once
  const why = whyElectronCannotRun();
  if (why !== null) console.log(`Electron smoke test skipped: ${why}`);
  test.skip(why !== null, `Electron cannot start here: ${why ?? ''}`);
  test.setTimeout(60_000);

  const binary = findElectronBinary();
  if (!binary.ok) return;
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-electron-'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: [projectRoot],
    env: { ...process.env, VSSL_USER_DATA: userData },
  });
  try {
    const page = await test.step('the window opens', async () => {
      const window = await app.firstWindow();
      await expect(window).toHaveTitle(/VSSL Studio/);
      return window;
    });

    await test.step('the window is locked down', async () => {
      // No Node in the page: contextIsolation + sandbox + no nodeIntegration.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await page.evaluate(() => window.open('https://example.com'))).toBeNull();
    });

    await test.step('window.vssl answers with envelopes and refuses unknown methods', async () => {
      const info = await page.evaluate(() => (window as unknown as { vssl: { invoke(m: string, p: unknown): Promise<unknown> } }).vssl.invoke('app:info', {}));
      expect(info).toMatchObject({ result: { mode: 'electron', capabilities: { nativeDialogs: true } } });
      const refused = await page.evaluate(() => (window as unknown as { vssl: { invoke(m: string, p: unknown): Promise<unknown> } }).vssl.invoke('fs:delete', {}));
      expect(refused).toMatchObject({ error: { code: 'UNKNOWN_METHOD' } });
    });

    await test.step('a project is created through the core', async () => {
      const dir = path.join(userData, 'project');
      const created = await page.evaluate(
        (p) => (window as unknown as { vssl: { invoke(m: string, p: unknown): Promise<unknown> } }).vssl.invoke('project:create', { path: p }),
        dir,
      );
      expect(created).toMatchObject({ result: { path: dir } });
      expect(fs.existsSync(path.join(dir, 'project.vssl'))).toBe(true);
    });
  } finally {
    await app.close();
    fs.rmSync(userData, { recursive: true, force: true });
  }
});

test('desktop app: a project given on the command line opens, and File › Open Recent lists it', async () => {
  test.setTimeout(20 * 60_000);
  const why = whyElectronCannotRun();
  test.skip(why !== null, `Electron cannot start here: ${why ?? ''}`);
  test.setTimeout(60_000);
  const binary = findElectronBinary();
  if (!binary.ok) return;
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-electron-args-'));
  const dir = path.join(userData, 'given');
  const first = await electron.launch({ executablePath: binary.path, args: [projectRoot], env: { ...process.env, VSSL_USER_DATA: userData } });
  try {
    const page = await first.firstWindow();
    await page.evaluate((p) => (window as unknown as { vssl: { invoke(m: string, p: unknown): Promise<unknown> } }).vssl.invoke('project:create', { path: p }), dir);
  } finally {
    await first.close();
  }
  const app = await electron.launch({ executablePath: binary.path, args: [projectRoot, dir], env: { ...process.env, VSSL_USER_DATA: userData } });
  try {
    const page = await app.firstWindow();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { vssl: { invoke(m: string, p: unknown): Promise<{ result?: { path: string } | null }> } }).vssl.invoke('project:current', {})))
      .toMatchObject({ result: { path: dir } });
    const recent = await app.evaluate(({ Menu }) => {
      const file = Menu.getApplicationMenu()?.items.find((item) => item.label === 'File');
      const open = file?.submenu?.items.find((item) => item.label === 'Open Recent');
      return open?.submenu?.items.map((item) => item.label) ?? [];
    });
    expect(recent.some((label) => label.endsWith(dir))).toBe(true);
  } finally {
    await app.close();
    fs.rmSync(userData, { recursive: true, force: true });
  }
});
