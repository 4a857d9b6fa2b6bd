// A project whose database was emptied (a crash, a careless script: `: > P/project.vssl`) is damaged, not new:
// every command refuses it and changes nothing, posters and proxies included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliRunner } from '../../tests/fixtures/cli-runner.js';
import { ensureCliBuilt } from '../../tests/fixtures/run-cli.js';

let tmp: string;
const { ok, fails } = cliRunner(() => tmp);

beforeAll(() => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-damaged-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('refuses an emptied project.vssl as damaged, exits 1 and keeps the file empty and the cache as it was', async () => {
  await ok('init', 'project');
  const db = path.join(tmp, 'project', 'project.vssl');
  const poster = path.join(tmp, 'project', 'cache', 'posters', 'kept.jpg');
  fs.mkdirSync(path.dirname(poster), { recursive: true });
  fs.writeFileSync(poster, 'poster bytes');
  fs.truncateSync(db, 0);
  for (const args of [['videos', 'project'], ['videos', 'project', '--json']]) {
    expect(await fails(1, ...args)).toMatch(/^vssl: .*damaged.*empty/i);
  }
  expect(fs.statSync(db).size).toBe(0);
  expect(fs.readFileSync(poster, 'utf8')).toBe('poster bytes');
});
