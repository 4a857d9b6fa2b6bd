import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../core.js';
import { latestSchemaVersion } from '../db/migrations.js';

let tmp: string;
let core: Core;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-project-'));
  core = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'user') });
});

afterEach(async () => {
  await core.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('projects', () => {
  it('creates a project folder with a database and a cache, and reopens it', async () => {
    const dir = path.join(tmp, 'proj');
    const created = await core.call('project:create', { path: dir, name: 'Bees' });
    expect(created).toMatchObject({ path: dir, name: 'Bees', videoCount: 0, schemaVersion: latestSchemaVersion });
    expect(fs.existsSync(path.join(dir, 'project.vssl'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'cache'))).toBe(true);
    await core.call('project:close', {});
    const opened = await core.call('project:open', { path: path.join(dir, 'project.vssl') });
    expect(opened.name).toBe('Bees');
    const recent = await core.call('project:recent', {});
    expect(recent[0]).toMatchObject({ path: dir, exists: true });
  });

  it('refuses to create a project over an existing one', async () => {
    const dir = path.join(tmp, 'proj');
    await core.call('project:create', { path: dir });
    await expect(core.call('project:create', { path: dir })).rejects.toMatchObject({ code: 'PROJECT_EXISTS' });
  });

  it('says a folder without project.vssl is not a project', async () => {
    await expect(core.call('project:open', { path: tmp })).rejects.toMatchObject({ code: 'NOT_A_PROJECT' });
  });

  it('refuses a damaged database with a clear message and leaves the file alone', async () => {
    const dir = path.join(tmp, 'broken');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'project.vssl');
    fs.writeFileSync(file, 'this is not sqlite at all, just text pretending to be a project');
    const before = fs.readFileSync(file);
    await expect(core.call('project:open', { path: dir })).rejects.toMatchObject({
      code: 'PROJECT_DAMAGED',
      message: expect.stringContaining('damaged'),
    });
    expect(fs.readFileSync(file)).toEqual(before);
  });

  it('refuses a project written by a newer version', async () => {
    const dir = path.join(tmp, 'future');
    await core.call('project:create', { path: dir });
    await core.call('project:close', {});
    const db = new DatabaseConstructor(path.join(dir, 'project.vssl'));
    db.pragma('user_version = 999');
    db.close();
    await expect(core.call('project:open', { path: dir })).rejects.toMatchObject({
      code: 'PROJECT_TOO_NEW',
      message: expect.stringContaining('newer version'),
    });
  });

  it('refuses an empty project.vssl as damaged and changes nothing: no new schema, cache kept', async () => {
    const dir = path.join(tmp, 'emptied');
    await core.call('project:create', { path: dir });
    await core.call('project:close', {});
    const poster = path.join(dir, 'cache', 'posters', 'kept.jpg');
    const proxy = path.join(dir, 'cache', 'proxies', 'kept.mp4');
    fs.mkdirSync(path.dirname(poster), { recursive: true });
    fs.mkdirSync(path.dirname(proxy), { recursive: true });
    fs.writeFileSync(poster, 'jpeg');
    fs.writeFileSync(proxy, 'mp4');
    fs.writeFileSync(path.join(dir, 'project.vssl'), '');

    await expect(core.call('project:open', { path: dir })).rejects.toMatchObject({
      code: 'PROJECT_DAMAGED',
      message: expect.stringContaining('empty'),
    });
    expect(fs.statSync(path.join(dir, 'project.vssl')).size).toBe(0);
    expect(fs.readFileSync(poster, 'utf8')).toBe('jpeg');
    expect(fs.readFileSync(proxy, 'utf8')).toBe('mp4');
  });

  it('refuses a folder whose cache/ survives without project.vssl as damaged, creating nothing', async () => {
    const dir = path.join(tmp, 'lost');
    fs.mkdirSync(path.join(dir, 'cache', 'posters'), { recursive: true });
    await expect(core.call('project:open', { path: dir })).rejects.toMatchObject({
      code: 'PROJECT_DAMAGED',
      message: expect.stringContaining('project.vssl is missing'),
    });
    expect(fs.existsSync(path.join(dir, 'project.vssl'))).toBe(false);
  });

  it('keeps the open project (same session, no project:changed) when opening or creating another fails', async () => {
    const dir = path.join(tmp, 'kept');
    await core.call('project:create', { path: dir, name: 'Kept' });
    const session = core.currentSession();
    const changed: unknown[] = [];
    core.events.on('project:changed', (info) => changed.push(info));

    await expect(core.call('project:open', { path: path.join(tmp, 'nowhere') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(core.call('project:create', { path: dir })).rejects.toMatchObject({ code: 'PROJECT_EXISTS' });

    expect(core.currentSession()).toBe(session);
    expect(session?.project.db.open).toBe(true);
    expect(await core.call('project:current', {})).toMatchObject({ path: dir, name: 'Kept' });
    expect(changed).toEqual([]);

    const other = path.join(tmp, 'other');
    await core.call('project:create', { path: other });
    expect(changed).toEqual([expect.objectContaining({ path: other })]);
    expect(session?.project.db.open).toBe(false);
  });

  it('reopens the project that is already open', async () => {
    const dir = path.join(tmp, 'again');
    await core.call('project:create', { path: dir, name: 'Again' });
    expect(await core.call('project:open', { path: dir })).toMatchObject({ path: dir, name: 'Again' });
    expect(await core.call('project:current', {})).toMatchObject({ path: dir });
  });

  it('answers invalid params and unknown methods with error envelopes', async () => {
    expect(await core.invoke('project:open', { path: 42 })).toMatchObject({ error: { code: 'INVALID_PARAMS' } });
    expect(await core.invoke('nope:never', {})).toMatchObject({ error: { code: 'UNKNOWN_METHOD' } });
    expect(await core.invoke('videos:list', {})).toMatchObject({ error: { code: 'NO_PROJECT' } });
  });
});
