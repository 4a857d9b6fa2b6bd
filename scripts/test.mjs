#!/usr/bin/env node
// `npm test`: type checks, lint, build, unit/integration tests (vitest), then end-to-end tests
// (Playwright). Ends with one line "tests: N passed, N failed, N skipped" over both runners.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-test-report-'));
const vitestJson = path.join(reportDir, 'vitest.json');
const playwrightJson = path.join(reportDir, 'playwright.json');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(name, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${result.status === 0 ? '✔' : '✘'} ${name} (${seconds}s)`);
  return result.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const counts = { passed: 0, failed: 0, skipped: 0 };
let ok =
  step('type check (tsc, svelte-check)', npm, ['run', '--silent', 'typecheck']) &&
  step('lint (eslint)', npm, ['run', '--silent', 'lint']) &&
  step('build', npm, ['run', '--silent', 'build']);

if (ok) {
  ok = step('unit and integration tests (vitest)', npx, [
    'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`,
  ]) && ok;
  const vitest = readJson(vitestJson);
  if (vitest) {
    counts.passed += vitest.numPassedTests ?? 0;
    counts.failed += vitest.numFailedTests ?? 0;
    counts.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  } else {
    counts.failed += 1;
  }

  const e2eOk = step('end-to-end tests (Playwright)', npx, ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  });
  ok = e2eOk && ok;
  const playwright = readJson(playwrightJson);
  if (playwright?.stats) {
    counts.passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
    counts.failed += playwright.stats.unexpected ?? 0;
    counts.skipped += playwright.stats.skipped ?? 0;
  } else {
    counts.failed += 1;
  }
} else {
  counts.failed += 1;
}

fs.rmSync(reportDir, { recursive: true, force: true });
console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(ok && counts.failed === 0 ? 0 : 1);
