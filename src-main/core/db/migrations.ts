import type { Database } from 'better-sqlite3';

export interface Migration {
  /** The `PRAGMA user_version` this migration brings the database to. */
  version: number;
  description: string;
  up(db: Database): void;
}

/**
 * Ordered list of schema changes. Never edit a released migration: add a new one.
 * Each runs in its own transaction together with the user_version bump.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'projects, videos and jobs',
    up(db) {
      db.exec(`
        CREATE TABLE project_meta (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );

        CREATE TABLE videos (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          hash TEXT,
          size INTEGER,
          mtime_ms REAL,
          status TEXT NOT NULL CHECK (status IN ('ready', 'processing', 'failed', 'missing')),
          error TEXT,
          duration_sec REAL,
          frame_count INTEGER,
          avg_frame_rate TEXT,
          real_frame_rate TEXT,
          fps REAL,
          start_time REAL,
          width INTEGER,
          height INTEGER,
          codec TEXT,
          pixel_format TEXT,
          container TEXT,
          rotation INTEGER NOT NULL DEFAULT 0,
          has_audio INTEGER NOT NULL DEFAULT 0,
          playable INTEGER NOT NULL DEFAULT 0,
          proxy_state TEXT NOT NULL DEFAULT 'none'
            CHECK (proxy_state IN ('none', 'pending', 'ready', 'failed')),
          proxy_path TEXT,
          poster_path TEXT,
          probe_json TEXT,
          imported_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX videos_hash ON videos (hash);
        CREATE INDEX videos_name ON videos (name COLLATE NOCASE);

        CREATE TABLE jobs (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          title TEXT NOT NULL,
          state TEXT NOT NULL
            CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
          progress REAL,
          message TEXT NOT NULL DEFAULT '',
          error TEXT,
          result_json TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          finished_at TEXT
        );
      `);
    },
  },
];

export const latestSchemaVersion = migrations.reduce((max, m) => Math.max(max, m.version), 0);
