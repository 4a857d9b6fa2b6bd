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
  let db: Database;
  try {
    db = new DatabaseConstructor(file, {
      fileMustExist: !options.create,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (err) {
    throw new ApiError('IO_ERROR', `Cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    checkIntegrity(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file, options.targetVersion ?? latestSchemaVersion);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function checkIntegrity(db: Database, file: string): void {
  let result: unknown;
  try {
    result = db.pragma('quick_check', { simple: true });
  } catch (err) {
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

export function schemaVersion(db: Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function migrate(db: Database, file: string, target: number): void {
  const current = schemaVersion(db);
  if (current > latestSchemaVersion) {
    throw new ApiError(
      'PROJECT_TOO_NEW',
      `This project was saved by a newer version of VSSL Studio (schema ${current}; this version ` +
        `understands up to ${latestSchemaVersion}). Update the app to open it.`,
    );
  }
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
    throw new ApiError(
      'PROJECT_DAMAGED',
      `Could not upgrade ${file} to schema ${migration.version} (${migration.description}): ` +
        `${(err as Error).message}. The file was left as it was.`,
    );
  }
}
