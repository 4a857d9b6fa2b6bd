import fs from 'node:fs';
import path from 'node:path';
import DatabaseConstructor, { type Database } from 'better-sqlite3';
import { ApiError } from '../../shared/errors.js';
import { latestSchemaVersion, migrations, type Migration } from './migrations.js';

export interface OpenDatabaseOptions {
  /**
   * Path of a better_sqlite3.node built for the running ABI. The Electron shell passes one
   * rebuilt for Electron; plain Node uses the module's own build.
   */
  nativeBinding?: string;
  /** Create the file if it does not exist (project creation); opening requires it. */
  create?: boolean;
  /** Only for tests of the upgrade path: stop migrating at this version. */
  targetVersion?: number;
}

/**
 * Opens a project database: checks it is a healthy SQLite file, refuses files written by a
 * newer version of the app, and brings older ones up to date one migration per transaction.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  // Everything that can refuse an existing file is checked on a read-only connection first, so a
  // refused file keeps every byte (switching to WAL, below, rewrites the header).
  if (!options.create) checkReadOnly(file, binding);
  let db: Database;
  try {
    db = new DatabaseConstructor(file, { fileMustExist: !options.create, ...binding });
  } catch (err) {
    throw readOnlyFailure(file, err) ?? new ApiError('IO_ERROR', `Cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    // SQLite quietly opens a file it may not write read-only; every write would then fail.
    if (db.readonly) throw readOnlyError(file);
    checkIntegrity(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file, options.targetVersion ?? latestSchemaVersion);
    return db;
  } catch (err) {
    db.close();
    throw readOnlyFailure(file, err) ?? err;
  }
}

/** Opens `file` read-only: refuses an empty, damaged or too new database without writing to it. */
function checkReadOnly(file: string, binding: { nativeBinding?: string }): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (err) {
    throw new ApiError('IO_ERROR', `Cannot open ${file}: ${(err as Error).message}`);
  }
  if (size === 0) {
    throw new ApiError(
      'PROJECT_DAMAGED',
      `The project database ${file} is empty (0 bytes): the project is damaged. It was left as it is; ` +
        'restore it from a backup, or create a new project in another folder.',
    );
  }
  let db: Database;
  try {
    db = new DatabaseConstructor(file, { readonly: true, fileMustExist: true, ...binding });
  } catch (err) {
    throw new ApiError('IO_ERROR', `Cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    checkIntegrity(db, file);
    refuseNewer(schemaVersion(db));
  } catch (err) {
    // A read-only connection cannot recover a crashed WAL or roll back a hot journal: the
    // writable open below does that, and classifies what still fails.
    if (!isReadOnlyError(err)) throw err;
  } finally {
    db.close();
  }
}

/** SQLite's SQLITE_READONLY family: the storage, not the file's contents, stops the write. */
export function isReadOnlyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code === 'EROFS');
}

function readOnlyError(file: string): ApiError {
  return new ApiError(
    'IO_ERROR',
    `The project ${path.dirname(file)} is read-only: VSSL Studio cannot write ${path.basename(file)} there. ` +
      'Make the folder and its files writable, or copy the project to writable storage.',
  );
}

/** The read-only message for a write the storage refused, or null for any other failure. */
export function readOnlyFailure(file: string, err: unknown): ApiError | null {
  return !(err instanceof ApiError) && isReadOnlyError(err) ? readOnlyError(file) : null;
}

function checkIntegrity(db: Database, file: string): void {
  let result: unknown;
  try {
    result = db.pragma('quick_check', { simple: true });
  } catch (err) {
    if (isReadOnlyError(err)) throw err; // the storage, not the file: the caller says so
    throw new ApiError(
      'PROJECT_DAMAGED',
      `The project database ${file} is damaged or is not a VSSL project (${(err as Error).message}).`,
    );
  }
  if (result !== 'ok') {
    throw new ApiError(
      'PROJECT_DAMAGED',
      `The project database ${file} failed its integrity check: ${String(result)}.`,
    );
  }
}

function refuseNewer(current: number): void {
  if (current > latestSchemaVersion) {
    throw new ApiError(
      'PROJECT_TOO_NEW',
      `This project was saved by a newer version of VSSL Studio (schema ${current}; this version ` +
        `understands up to ${latestSchemaVersion}). Update the app to open it.`,
    );
  }
}

export function schemaVersion(db: Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function migrate(db: Database, file: string, target: number): void {
  const current = schemaVersion(db);
  refuseNewer(current);
  const pending = migrations
    .filter((m) => m.version > current && m.version <= target)
    .sort((a, b) => a.version - b.version);
  for (const migration of pending) applyMigration(db, file, migration);
}

function applyMigration(db: Database, file: string, migration: Migration): void {
  const run = db.transaction(() => {
    migration.up(db);
    db.pragma(`user_version = ${migration.version}`);
  });
  try {
    run.immediate();
  } catch (err) {
    if (isReadOnlyError(err)) throw err; // the storage, not the file: the caller says so
    throw new ApiError(
      'PROJECT_DAMAGED',
      `Could not upgrade ${file} to schema ${migration.version} (${migration.description}): ` +
        `${(err as Error).message}. The file was left as it was.`,
    );
  }
}
