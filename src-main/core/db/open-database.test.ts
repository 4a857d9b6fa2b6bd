import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors.js';
import { isReadOnlyError, openDatabase, readOnlyFailure } from './open-database.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-open-db-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('openDatabase refusals', () => {
  it('leaves a too-new rollback-journal database byte-identical', () => {
    const file = path.join(tmp, 'future.vssl');
    const db = new DatabaseConstructor(file);
    db.exec('CREATE TABLE t (x INTEGER)');
    db.pragma('user_version = 999');
    db.close();
    const before = fs.readFileSync(file);

    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'PROJECT_TOO_NEW' }));
    expect(fs.readFileSync(file)).toEqual(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses an empty (0-byte) database as damaged and leaves it empty', () => {
    const file = path.join(tmp, 'empty.vssl');
    fs.writeFileSync(file, '');
    expect(() => openDatabase(file)).toThrow(
      expect.objectContaining({ code: 'PROJECT_DAMAGED', message: expect.stringContaining('empty (0 bytes)') }),
    );
    expect(fs.statSync(file).size).toBe(0);
  });
});

// Tests run as root, which chmod does not stop, so no test here can make openDatabase itself meet
// read-only storage. These prove the classification with the real error SQLite raises when a
// connection opened with its read-only flag is written to.
describe('read-only storage', () => {
  function realReadOnlyError(file: string): unknown {
    new DatabaseConstructor(file).exec('CREATE TABLE t (x INTEGER)');
    const db = new DatabaseConstructor(file, { readonly: true });
    try {
      db.exec('INSERT INTO t VALUES (1)');
    } catch (err) {
      return err;
    } finally {
      db.close();
    }
    throw new Error('the write was not refused');
  }

  it('is recognised from SQLITE_READONLY and said as read-only, naming the folder, not as damage', () => {
    const file = path.join(tmp, 'proj', 'project.vssl');
    fs.mkdirSync(path.dirname(file));
    const err = realReadOnlyError(file);
    expect((err as { code?: string }).code).toMatch(/^SQLITE_READONLY/);
    expect(isReadOnlyError(err)).toBe(true);
    const failure = readOnlyFailure(file, err);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure?.message).toContain(`${path.dirname(file)} is read-only`);
    expect(failure?.message).not.toMatch(/damaged/);
  });

  it('leaves other failures alone', () => {
    expect(isReadOnlyError(new ApiError('PROJECT_DAMAGED', 'x'))).toBe(false);
    expect(readOnlyFailure('/x/project.vssl', new Error('disk I/O error'))).toBeNull();
  });
});
