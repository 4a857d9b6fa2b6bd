import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestSchemaVersion, migrations } from './migrations.js';
import { openDatabase, schemaVersion } from './open-database.js';
import { RunRepository } from '../classify/main/run-repository.js';
import { defaultTrainSettings } from '../../shared/training.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-migrations-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function schemaOf(db: Database): string[] {
  const rows = db
    .prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
    .all() as { type: string; name: string; sql: string | null }[];
  return rows.map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ')}`);
}

describe('migrations', () => {
  it('are numbered 1..N without gaps, so every upgrade path is defined', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(latestSchemaVersion).toBe(migrations.length);
  });

  it('bring an empty file to the latest schema with foreign keys and WAL on', () => {
    const db = openDatabase(path.join(tmp, 'empty.vssl'), { create: true });
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.close();
  });

  // Every earlier version must upgrade to exactly the schema a fresh project gets.
  for (let from = 0; from < latestSchemaVersion; from++) {
    it(`upgrade a project from schema ${from} to the same schema as a fresh one`, () => {
      const fresh = openDatabase(path.join(tmp, 'fresh.vssl'), { create: true });
      const expected = schemaOf(fresh);
      fresh.close();

      const file = path.join(tmp, `from-${from}.vssl`);
      const old = openDatabase(file, { create: true, targetVersion: from });
      expect(schemaVersion(old)).toBe(from);
      old.close();

      const upgraded = openDatabase(file);
      expect(schemaVersion(upgraded)).toBe(latestSchemaVersion);
      expect(schemaOf(upgraded)).toEqual(expected);
      upgraded.close();
    });
  }

  it('keep the runs of a project from before imported runs (schema 5) as trained runs', () => {
    const file = path.join(tmp, 'v5.vssl');
    const old = openDatabase(file, { create: true, targetVersion: 5 });
    const settings = defaultTrainSettings('fixmatch');
    old
      .prepare(
        `INSERT INTO runs (kind, name, method, settings_json, classes_json, dataset_json, status, has_model, created_at)
         VALUES ('classify', 'old run', 'fixmatch', ?, '[{"id":1,"name":"walk"}]', '{"train":4,"validation":1,"unlabelled":9}', 'succeeded', 1, '2026-01-01T00:00:00.000Z')`,
      )
      .run(JSON.stringify(settings));
    old.close();

    const upgraded = openDatabase(file);
    const [run] = new RunRepository(upgraded).list();
    expect(run).toMatchObject({ name: 'old run', origin: 'trained', source: null, method: 'fixmatch', settings, hasModel: true });
    upgraded.close();
  });

  it('leave the file untouched when a migration fails', () => {
    const file = path.join(tmp, 'clash.vssl');
    const db = openDatabase(file, { create: true, targetVersion: 0 });
    // A table in the way makes migration 1 fail half-way through its script.
    db.exec('CREATE TABLE jobs (x INTEGER)');
    db.close();
    expect(() => openDatabase(file)).toThrow(/Could not upgrade .* to schema 1/);
    const reopened = openDatabase(file, { targetVersion: 0 });
    expect(schemaVersion(reopened)).toBe(0);
    expect(schemaOf(reopened)).toEqual(['table jobs: CREATE TABLE jobs (x INTEGER)']);
    reopened.close();
  });
});
