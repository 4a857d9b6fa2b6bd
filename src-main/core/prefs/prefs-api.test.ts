import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestProject, type TestProject } from '../../../tests/fixtures/core-harness.js';
import { inProcessEngine } from '../../../tests/fixtures/review-project.js';
import { BACKEND_ENV_VAR } from '../engine/backend-choice.js';
import { Core } from '../core.js';
import type { Prefs } from '../../shared/prefs.js';

let t: TestProject | null = null;
afterEach(async () => {
  await t?.dispose();
  t = null;
});

async function project(): Promise<TestProject> {
  t = await openTestProject({ engine: inProcessEngine });
  return t;
}

describe('prefs:get / prefs:set', () => {
  it('change the named preferences, say prefs:changed, and are there after a restart', async () => {
    const { core, tmp } = await project();
    const seen: Prefs[] = [];
    core.events.on('prefs:changed', (prefs) => seen.push(prefs));
    const set = await core.invoke('prefs:set', { theme: 'light', cpuThreads: 2 });
    expect(set).toEqual({ result: { theme: 'light', backend: 'auto', cpuThreads: 2, cacheLocation: null } });
    expect(seen).toEqual([{ theme: 'light', backend: 'auto', cpuThreads: 2, cacheLocation: null }]);
    const restarted = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'user') });
    try {
      expect(await restarted.call('prefs:get', {})).toMatchObject({ theme: 'light', cpuThreads: 2 });
    } finally {
      await restarted.close();
    }
  });

  it('refuses a value the schema does not allow, naming the field, and changes nothing', async () => {
    const { core } = await project();
    const bad = await core.invoke('prefs:set', { theme: 'sepia' });
    expect(bad).toEqual({ error: { code: 'INVALID_PARAMS', message: expect.stringMatching(/theme: The theme is one of system, light, dark/) } });
    const unknown = await core.invoke('prefs:set', { colour: 'red' });
    expect(unknown).toMatchObject({ error: { code: 'INVALID_PARAMS' } });
    expect(await core.invoke('prefs:set', { backend: 'tpu' })).toMatchObject({ error: { message: expect.stringMatching(/backend: The backend is one of auto, node-gpu/) } });
    expect(await core.call('prefs:get', {})).toMatchObject({ theme: 'system', backend: 'auto' });
  });
});

describe('the backend preference', () => {
  it('reaches the engine: train:options says the backend was chosen by preference', async () => {
    const { core } = await project();
    await core.call('prefs:set', { backend: 'cpu' });
    const { backend } = await core.call('train:options', {});
    expect(backend.name).toBe('cpu');
    expect(backend.reason).toMatch(/^chosen by preference: plain JavaScript/);
  });

  it('gives way to VSSL_TF_BACKEND', async () => {
    const { core } = await project();
    await core.call('prefs:set', { backend: 'cpu' });
    const before = process.env[BACKEND_ENV_VAR];
    process.env[BACKEND_ENV_VAR] = 'wasm';
    try {
      const { backend } = await core.call('train:options', {});
      expect(backend.name).toBe('wasm');
      expect(backend.reason).toMatch(/^forced by VSSL_TF_BACKEND/);
    } finally {
      if (before === undefined) delete process.env[BACKEND_ENV_VAR];
      else process.env[BACKEND_ENV_VAR] = before;
    }
  });
});

describe('the CPU threads preference', () => {
  it('is the Train view default for every method', async () => {
    const { core } = await project();
    await core.call('prefs:set', { cpuThreads: 3 });
    const { defaults } = await core.call('train:options', {});
    expect(Object.values(defaults).map((d) => d.threads)).toEqual(Object.values(defaults).map(() => 3));
  });
});

describe('the cache location preference', () => {
  it('puts the cache of projects created after it in a folder of their own there, and leaves older ones alone', async () => {
    const { core, tmp, projectDir } = await project();
    const caches = path.join(tmp, 'caches');
    await core.call('prefs:set', { cacheLocation: caches });
    expect(t?.session().project.cachePath()).toBe(path.join(projectDir, 'cache'));

    const second = path.join(tmp, 'second project');
    await core.call('project:create', { path: second });
    const [own] = fs.readdirSync(caches);
    expect(own).toMatch(/^second_project-[0-9a-f]{8}$/);
    expect(t?.session().project.cachePath('posters')).toBe(path.join(caches, own ?? '', 'posters'));
    expect(fs.existsSync(path.join(second, 'cache'))).toBe(false);

    // Where the cache went is the project's own: it stays there when the preference changes.
    await core.call('prefs:set', { cacheLocation: null });
    await core.call('project:open', { path: second });
    expect(t?.session().project.cachePath()).toBe(path.join(caches, own ?? ''));
  });
});

describe('recent projects', () => {
  it('can lose one entry or all of them, leaving the project folders alone', async () => {
    const { core, tmp, projectDir } = await project();
    const said: string[][] = [];
    core.events.on('recent:changed', (list) => said.push(list.map((r) => r.path)));
    const second = path.join(tmp, 'second');
    await core.call('project:create', { path: second });
    expect((await core.call('project:recent', {})).map((r) => r.path)).toEqual([second, projectDir]);
    expect((await core.call('project:recent:remove', { path: second })).map((r) => r.path)).toEqual([projectDir]);
    expect(await core.invoke('project:recent:remove', { path: second })).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await core.call('project:recent:clear', {})).toEqual([]);
    expect(await core.call('project:recent', {})).toEqual([]);
    expect(fs.existsSync(path.join(second, 'project.vssl'))).toBe(true);
    expect(said).toEqual([[projectDir], []]);
  });
});
