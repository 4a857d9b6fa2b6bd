import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREFS } from '../../shared/prefs.js';
import { PREFS_FILE, PrefsStore } from './prefs-store.js';

let dir: string;
let warnings: string[];
const store = () => new PrefsStore(dir, (message) => warnings.push(message));
const file = () => path.join(dir, PREFS_FILE);
const leftovers = () => fs.readdirSync(dir).filter((name) => name !== PREFS_FILE);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-prefs-'));
  warnings = [];
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('PrefsStore', () => {
  it('answers the defaults when there is no file yet, without a warning or a file', () => {
    expect(store().get()).toEqual({ theme: 'system', backend: 'auto', cpuThreads: 0, cacheLocation: null });
    expect(warnings).toEqual([]);
    expect(fs.existsSync(file())).toBe(false);
  });

  it('keeps what was set across a restart, changing only the named fields', () => {
    store().set({ theme: 'light', cpuThreads: 3 });
    store().set({ backend: 'wasm' });
    expect(store().get()).toEqual({ ...DEFAULT_PREFS, theme: 'light', cpuThreads: 3, backend: 'wasm' });
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toMatchObject({ theme: 'light', backend: 'wasm' });
  });

  it('sees a change another process wrote to the file', () => {
    const prefs = store();
    prefs.set({ theme: 'dark' });
    store().set({ theme: 'light' });
    // Both writes may land in the same clock tick: a later mtime makes the change certain.
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file(), later, later);
    expect(prefs.get().theme).toBe('light');
  });

  it('writes atomically: no temporary file is left, and a failed write keeps the old file', () => {
    const prefs = store();
    prefs.set({ theme: 'dark' });
    expect(leftovers()).toEqual([]);
    // A folder where the file should go makes the rename fail, as a full or read-only disk would.
    const blocked = path.join(dir, 'blocked');
    fs.mkdirSync(path.join(blocked, PREFS_FILE), { recursive: true });
    expect(() => new PrefsStore(blocked, (message) => warnings.push(message)).set({ theme: 'light' })).toThrow(/Could not save the preferences/);
    expect(fs.readdirSync(blocked)).toEqual([PREFS_FILE]);
    expect(store().get().theme).toBe('dark');
  });

  it('refuses values outside the schema when setting', () => {
    // The contract validates first; the store still never writes an invalid set.
    expect(() => store().set({ cpuThreads: -1 })).toThrow();
    expect(() => store().set({ cacheLocation: 'relative/cache' })).toThrow(/absolute path/);
    expect(fs.existsSync(file())).toBe(false);
  });

  it('sets a corrupt file aside with a warning and starts from the defaults', () => {
    fs.writeFileSync(file(), '{"theme": "light", ');
    expect(store().get()).toEqual(DEFAULT_PREFS);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not be read: it is not JSON/);
    const [backup] = leftovers();
    expect(backup).toMatch(/^preferences\.json\.damaged-/);
    expect(fs.readFileSync(path.join(dir, backup ?? ''), 'utf8')).toBe('{"theme": "light", ');
  });

  it('keeps the valid fields of a file with a bad one, naming what it ignored', () => {
    fs.writeFileSync(file(), JSON.stringify({ theme: 'light', backend: 'quantum', cpuThreads: 2.5, colour: 'red' }));
    expect(store().get()).toEqual({ ...DEFAULT_PREFS, theme: 'light' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/backend \(The backend is one of auto, node-gpu/);
    expect(warnings[0]).toMatch(/cpuThreads \(CPU threads are a whole number\.\)/);
    expect(warnings[0]).toMatch(/colour \(unknown\)/);
    expect(leftovers()).toHaveLength(1);
  });

  it('treats a file that holds no object as corrupt', () => {
    fs.writeFileSync(file(), '[1, 2]');
    expect(store().get()).toEqual(DEFAULT_PREFS);
    expect(warnings[0]).toMatch(/does not hold an object/);
  });
});
