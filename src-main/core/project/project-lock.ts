import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../shared/errors.js';
import { nowIso } from '../clock.js';

export const LOCK_FILE = 'project.lock';

/** Who holds a project for writing: written into the lock file as JSON. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, it is not ours to signal). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFile(dir: string): string {
  return path.join(dir, LOCK_FILE);
}

function readHolder(file: string): LockHolder | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return { pid: value.pid, host: value.host, command: String(value.command ?? ''), since: String(value.since ?? '') };
  } catch {
    return null; // gone, or half-written by a crash: either way nobody can be shown to hold it
  }
}

/** A holder on another machine cannot be checked, so it counts as live until someone removes its lock. */
function holderIsLive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  return isProcessAlive(holder.pid);
}

export function describeHolder(holder: LockHolder): string {
  const where = holder.host === os.hostname() ? '' : ` on ${holder.host}`;
  return `pid ${holder.pid}${where} (${holder.command || 'unknown command'}) since ${holder.since || 'an unknown time'}`;
}

/** The live holder of the project's lock, or null when nobody (alive) holds it. */
export function currentHolder(dir: string): LockHolder | null {
  const holder = readHolder(lockFile(dir));
  return holder && holderIsLive(holder) ? holder : null;
}

/** The write lock of one open project; `release` is safe to call twice. */
export interface ProjectLock {
  readonly file: string;
  /** The earlier holder whose lock this one took over (it had died), or null when none was there. */
  readonly tookOverFrom: LockHolder | null;
  release(): void;
}

const held = new Set<string>();
let exitHookInstalled = false;

function releaseAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const file of held) removeIfOurs(file);
  });
}

function removeIfOurs(file: string): void {
  const holder = readHolder(file);
  if (holder && holder.pid === process.pid && holder.host === os.hostname()) fs.rmSync(file, { force: true });
}

/**
 * Takes the project's write lock, or throws PROJECT_LOCKED naming the live process that holds it.
 * The file is created exclusively, so two processes racing for a free project cannot both win;
 * a lock whose process is gone (same host) is taken over.
 */
export function acquireProjectLock(dir: string, command = defaultCommand()): ProjectLock {
  const file = lockFile(dir);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), command, since: nowIso() };
  let tookOverFrom: LockHolder | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, JSON.stringify(me));
      } finally {
        fs.closeSync(fd);
      }
      held.add(file);
      releaseAllOnExit();
      return {
        file,
        tookOverFrom,
        release: () => {
          if (!held.delete(file)) return;
          removeIfOurs(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ApiError('IO_ERROR', `Cannot write the lock file ${file}: ${(error as Error).message}`);
      }
    }
    const holder = readHolder(file);
    if (holder && holder.pid === process.pid && holder.host === os.hostname() && held.has(file)) {
      throw new ApiError('PROJECT_LOCKED', `${dir} is already open in this process.`);
    }
    if (holder && holderIsLive(holder)) {
      throw new ApiError(
        'PROJECT_LOCKED',
        `${dir} is open elsewhere by ${describeHolder(holder)}: wait for it to finish or close it there, then try again.`,
      );
    }
    if (!holder) {
      // A lock being written this very moment reads as empty: give its writer a moment before calling it stale.
      const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < 2000 && attempt < 4) {
        sleepSync(100);
        continue;
      }
    }
    if (takeOver(file, holder)) tookOverFrom = holder;
  }
  throw new ApiError('PROJECT_LOCKED', `${dir} is being opened by another process at the same time; try again.`);
}

/**
 * Moves the stale lock aside (atomic), then checks that what moved is the lock judged stale: when
 * another process took it over in between, its fresh lock is put back and this one tries again.
 */
function takeOver(file: string, stale: LockHolder | null): boolean {
  const aside = `${file}.stale-${process.pid}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return false; // someone else moved it first
  }
  const moved = readHolder(aside);
  const same = moved?.pid === stale?.pid && moved?.host === stale?.host && moved?.since === stale?.since;
  if (!same) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // a third process locked it meanwhile; the next attempt reads that one
    }
  }
  fs.rmSync(aside, { force: true });
  return same;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function defaultCommand(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]) : '';
  const args = process.argv.slice(2);
  return [script === 'vssl.js' ? 'vssl' : script || path.basename(process.execPath), ...args].join(' ').trim();
}
