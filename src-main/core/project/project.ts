import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ProjectInfo } from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';
import { nowIso } from '../clock.js';
import { openDatabase, schemaVersion } from '../db/open-database.js';
import { CACHE_DIR, cacheDir, cacheWriteError, projectDirFrom, projectFile } from './project-files.js';
import { acquireProjectLock, type ProjectLock } from './project-lock.js';

/**
 * 'write' takes the project's lock (refused while another live process holds it); 'read' takes
 * no lock and must leave jobs, runs and cache files as they are: another process may be using them.
 */
export type ProjectAccess = 'read' | 'write';

export interface ProjectOpenOptions {
  nativeBinding?: string;
  access?: ProjectAccess;
}

export interface ProjectCreateOptions extends ProjectOpenOptions {
  /**
   * A folder (the preferences' cache location) to keep this project's cache in, in a subfolder of its own,
   * instead of the project folder's cache/. Recorded in the project, so it stays where it was put.
   */
  cacheLocation?: string | null;
}

/** project_meta key of a cache kept outside the project folder. */
const CACHE_DIR_KEY = 'cache_dir';

/** An open project: its folder, its database and its cache folder. */
export class Project {
  private constructor(
    readonly dir: string,
    readonly db: Database,
    /** Held while open for writing; null for a read-only open. */
    readonly lock: ProjectLock | null,
    /** The cache folder: the project folder's cache/, or the one recorded when the project was created. */
    readonly cacheRoot: string,
  ) {}

  get access(): ProjectAccess {
    return this.lock ? 'write' : 'read';
  }

  static create(input: string, name: string | undefined, options: ProjectCreateOptions = {}): Project {
    const dir = projectDirFrom(input);
    const file = projectFile(dir);
    if (fs.existsSync(file)) {
      throw new ApiError('PROJECT_EXISTS', `${dir} already holds a VSSL project: open it instead.`);
    }
    const external = options.cacheLocation ? externalCacheDir(options.cacheLocation, dir) : null;
    try {
      fs.mkdirSync(external ? dir : cacheDir(dir), { recursive: true });
    } catch (err) {
      throw new ApiError('IO_ERROR', `Cannot create the project folder ${dir}: ${(err as Error).message}`);
    }
    if (external) {
      try {
        fs.mkdirSync(external, { recursive: true });
      } catch (err) {
        throw cacheWriteError(external, err);
      }
    }
    const lock = acquireProjectLock(dir);
    let db: Database;
    try {
      db = openDatabase(file, { ...dbOptions(options), create: true });
    } catch (err) {
      lock.release();
      throw err;
    }
    const insert = db.prepare('INSERT INTO project_meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      insert.run('name', name ?? path.basename(dir));
      insert.run('created_at', nowIso());
      if (external) insert.run(CACHE_DIR_KEY, external);
    })();
    return new Project(dir, db, lock, external ?? cacheDir(dir));
  }

  static open(input: string, options: ProjectOpenOptions = {}): Project {
    const dir = projectDirFrom(input);
    const file = projectFile(dir);
    if (!fs.existsSync(dir)) {
      throw new ApiError('NOT_FOUND', `The folder ${dir} does not exist.`);
    }
    if (!fs.existsSync(file)) {
      if (fs.existsSync(cacheDir(dir))) {
        // A cache without its database: a project whose file was lost, never a place to start anew.
        throw new ApiError(
          'PROJECT_DAMAGED',
          `The project in ${dir} is damaged: it has a ${CACHE_DIR}/ folder but its ${path.basename(file)} ` +
            'is missing. Nothing was changed; restore the file from a backup.',
        );
      }
      throw new ApiError('NOT_A_PROJECT', `${dir} is not a VSSL project (it has no ${path.basename(file)}).`);
    }
    const lock = options.access === 'read' ? null : acquireProjectLock(dir);
    try {
      const db = openDatabase(file, dbOptions(options));
      const cacheRoot = recordedCacheDir(db) ?? cacheDir(dir);
      if (lock) {
        try {
          fs.mkdirSync(cacheRoot, { recursive: true });
        } catch (err) {
          db.close();
          throw cacheWriteError(cacheRoot, err);
        }
      }
      return new Project(dir, db, lock, cacheRoot);
    } catch (err) {
      lock?.release();
      throw err;
    }
  }

  cachePath(...parts: string[]): string {
    return path.join(this.cacheRoot, ...parts);
  }

  meta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM project_meta WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  }

  info(): ProjectInfo {
    const { count } = this.db.prepare('SELECT COUNT(*) AS count FROM videos').get() as { count: number };
    return {
      path: this.dir,
      name: this.meta('name') ?? path.basename(this.dir),
      createdAt: this.meta('created_at') ?? '',
      schemaVersion: schemaVersion(this.db),
      videoCount: count,
    };
  }

  close(): void {
    try {
      if (!this.db.open) return;
      try {
        // Fold the WAL back into the main file so a closed project is one self-contained file.
        // Only the writer does: a reader's checkpoint would contend with the writer it shares the file with.
        if (this.lock) this.db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        this.db.close();
      }
    } finally {
      this.lock?.release();
    }
  }
}

/** A new project's own folder inside `location`: its folder name and a random suffix, so two never share one. */
function externalCacheDir(location: string, projectDir: string): string {
  const base = path.basename(projectDir).replace(/[^\w.-]+/g, '_').slice(0, 60) || 'project';
  return path.join(path.resolve(location), `${base}-${randomBytes(4).toString('hex')}`);
}

function recordedCacheDir(db: Database): string | null {
  const row = db.prepare('SELECT value FROM project_meta WHERE key = ?').get(CACHE_DIR_KEY) as { value: string } | undefined;
  return row?.value ?? null;
}

function dbOptions(options: ProjectOpenOptions): { nativeBinding?: string } {
  return options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
}
