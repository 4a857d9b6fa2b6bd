import { defineConfig } from '@playwright/test';
import { chromiumForTests } from './scripts/find-chromium.mjs';

/**
 * End-to-end tests drive the real app in web mode with a Chromium found on this machine; the Electron smoke
 * test runs where an Electron binary can start and is skipped, saying why, where it cannot.
 */
export default defineConfig({
  testDir: 'tests',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 2,
  fullyParallel: true,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    // Found the usual ways (scripts/find-chromium.mjs); npm test never downloads a browser.
    launchOptions: {
      executablePath: chromiumForTests(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
