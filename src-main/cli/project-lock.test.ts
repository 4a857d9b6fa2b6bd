/**
 * Two processes on one project: the one that writes holds project.lock; a second writer is refused
 * with the holder's name, a reader opens without touching the holder's jobs or cache files, and a
 * lock whose process is gone is taken over (only then are its jobs marked interrupted).
 */
import { spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli, startServe as startVsslServe } from '../../tests/fixtures/run-cli.js';
import { Core } from '../core/core.js';
import { lockFile, type LockHolder } from '../core/project/project-lock.js';
import { projectFile } from '../core/project/project-files.js';

let tmp: string;
let project: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  ensureCliBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-project-lock-'));
  project = path.join(tmp, 'P');
  fs.mkdirSync(path.join(tmp, 'empty'));
  const core = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'setup') });
  try {
    await core.call('project:create', { path: project });
  } finally {
    await core.close();
  }
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A job the lock's holder is running, written the way its JobRepository would. */
function addRunningJob(): number {
  const db = new DatabaseConstructor(projectFile(project));
  try {
    const now = new Date().toISOString();
    return Number(
      db
        .prepare(`INSERT INTO jobs (kind, title, state, created_at, updated_at) VALUES ('import', 'Import', 'running', ?, ?)`)
        .run(now, now).lastInsertRowid,
    );
  } finally {
    db.close();
  }
}

function jobState(id: number): string {
  const db = new DatabaseConstructor(projectFile(project), { readonly: true });
  try {
    return (db.prepare('SELECT state FROM jobs WHERE id = ?').get(id) as { state: string }).state;
  } finally {
    db.close();
  }
}

function holder(): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(lockFile(project), 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/** Starts `vssl serve P` and resolves once it listens (it has taken the lock by then). */
async function startServe(): Promise<ChildProcessWithoutNullStreams> {
  const { child } = await startVsslServe(tmp, project, path.join(tmp, 'serve-user'));
  children.push(child);
  return child;
}

/** The pid of a process that has exited: nothing on this machine answers to it any more. */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(run.stdout.toString());
}

describe('the project lock', () => {
  it('refuses a second writer with the holder, lets a reader list without interrupting, and goes when the holder stops', async () => {
    const serve = await startServe();
    expect(holder()).toMatchObject({ pid: serve.pid, host: os.hostname() });
    expect(holder()?.command).toContain('serve');
    const job = addRunningJob();

    const writer = await runCli(tmp, 'import', project, path.join(tmp, 'empty'));
    expect(writer.code).toBe(1);
    expect(writer.stderr).toContain(`open elsewhere by pid ${serve.pid}`);
    expect(writer.stderr).toContain('vssl serve');

    const reader = await runCli(tmp, 'videos', project, '--json');
    expect(reader.stderr).toBe('');
    expect(reader.code).toBe(0);
    expect(JSON.parse(reader.stdout)).toEqual([]);
    expect(jobState(job)).toBe('running');
    expect(holder()?.pid).toBe(serve.pid);

    // What the app and web mode show: an API error with its own code.
    const core = new Core({ mode: 'web', userDataDir: path.join(tmp, 'app') });
    try {
      const answer = await core.invoke('project:open', { path: project });
      expect(answer).toMatchObject({ error: { code: 'PROJECT_LOCKED' } });
      expect('error' in answer && answer.error.message).toContain(`open elsewhere by pid ${serve.pid}`);
      expect(core.currentSession()).toBeNull();
    } finally {
      await core.close();
    }

    const exited = new Promise((resolve) => serve.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
    expect(holder()).toBeNull();
  }, 30_000);

  it('takes over a lock whose process is gone, only then marking its jobs interrupted and removing its temp files', async () => {
    const dead = deadPid();
    fs.writeFileSync(
      lockFile(project),
      JSON.stringify({ pid: dead, host: os.hostname(), command: 'vssl train P', since: new Date().toISOString() }),
    );
    const job = addRunningJob();
    const proxies = path.join(project, 'cache', 'proxies');
    fs.mkdirSync(proxies, { recursive: true });
    const deadTemp = `a.partial-${dead}-0badf00d.mp4`;
    // This test's own process is alive, and not the CLI run that cleans the cache.
    const liveTemp = `b.partial-${process.pid}-0badf00d.mp4`;
    fs.writeFileSync(path.join(proxies, deadTemp), 'half');
    fs.writeFileSync(path.join(proxies, liveTemp), 'being written');

    // A reader leaves the dead holder's lock, job and files alone.
    expect((await runCli(tmp, 'videos', project)).code).toBe(0);
    expect(holder()?.pid).toBe(dead);
    expect(jobState(job)).toBe('running');
    expect(fs.readdirSync(proxies).sort()).toEqual([deadTemp, liveTemp]);

    // A writer takes the lock over, cleans up after the dead holder, and lets go when it exits.
    // (An empty folder: nothing to import, so it exits 1 saying so, not that the project is held.)
    const writer = await runCli(tmp, 'import', project, path.join(tmp, 'empty'));
    expect(writer.stderr).toMatch(/^vssl: nothing was imported/);
    expect(writer.code).toBe(1);
    expect(jobState(job)).toBe('interrupted');
    expect(fs.readdirSync(proxies)).toEqual([liveTemp]);
    expect(holder()).toBeNull();
  }, 30_000);

  it('counts a lock taken on another machine as held, and a process cannot open a project twice', async () => {
    const foreign = { pid: deadPid(), host: `not-${os.hostname()}`, command: 'vssl train P', since: '2026-01-01T00:00:00Z' };
    fs.writeFileSync(lockFile(project), JSON.stringify(foreign));
    const core = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'app') });
    try {
      await expect(core.call('project:open', { path: project })).rejects.toThrow(`on ${foreign.host} (vssl train P)`);
      fs.rmSync(lockFile(project));
      await core.call('project:open', { path: project });
      expect(holder()?.pid).toBe(process.pid);
      const second = new Core({ mode: 'cli', userDataDir: path.join(tmp, 'app2') });
      try {
        await expect(second.call('project:open', { path: project })).rejects.toMatchObject({ code: 'PROJECT_LOCKED' });
        // Reading needs no lock.
        await second.call('project:open', { path: project, access: 'read' });
        expect(second.currentSession()?.project.access).toBe('read');
      } finally {
        await second.close();
      }
      expect(holder()?.pid).toBe(process.pid);
    } finally {
      await core.close();
    }
    expect(holder()).toBeNull();
  });
});
