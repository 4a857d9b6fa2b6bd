import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the real app in web mode with Debian's Chromium; the Electron smoke
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
    // The system Chromium: Playwright's own browser downloads are never used here.
    launchOptions: {
      executablePath: process.env.VSSL_CHROMIUM ?? '/usr/bin/chromium',
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
