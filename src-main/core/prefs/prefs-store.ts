import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_PREFS, prefsSchema, type Prefs, type PrefsPatch } from '../../shared/prefs.js';
import { ApiError } from '../../shared/errors.js';

export const PREFS_FILE = 'preferences.json';

/** Where a warning goes (tests listen); the console by default. */
export type WarnFn = (message: string) => void;

/**
 * The app's preferences, one small JSON file in the user-data folder. Written atomically (a temporary file,
 * flushed, then renamed over the old one), so a crash mid-write leaves the old file. A file that cannot be
 * read as preferences is set aside beside it (preferences.json.damaged-<time>) with a warning, and the
 * defaults apply: the app still starts, and nothing the person wrote is lost silently. A field with a bad
 * value alone falls back to its default, with a warning naming it.
 */
export class PrefsStore {
  private cached: Prefs | null = null;
  /** The file's mtime when it was read: another process (the CLI, a second app) may change it. */
  private readAt: number | null = null;

  constructor(
    private readonly userDataDir: string,
    private readonly warn: WarnFn = (message) => console.warn(message),
  ) {}

  get file(): string {
    return path.join(this.userDataDir, PREFS_FILE);
  }

  get(): Prefs {
    const mtime = this.mtime();
    if (this.cached === null || mtime !== this.readAt) {
      this.cached = this.read();
      this.readAt = mtime;
    }
    return { ...this.cached };
  }

  /** Applies `patch` (already validated by the contract) and writes the whole set; returns it. */
  set(patch: PrefsPatch): Prefs {
    const next = prefsSchema.parse({ ...this.get(), ...patch });
    this.write(next);
    this.cached = next;
    this.readAt = this.mtime();
    return { ...next };
  }

  private mtime(): number | null {
    try {
      return fs.statSync(this.file).mtimeMs;
    } catch {
      return null;
    }
  }

  private read(): Prefs {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.warn(`Could not read the preferences in ${this.file} (${(err as Error).message}); using the defaults.`);
      }
      return { ...DEFAULT_PREFS };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return this.setAside(`it is not JSON (${(err as Error).message})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return this.setAside('it does not hold an object');
    return this.salvage(raw as Record<string, unknown>);
  }

  /** Keeps every field that is valid; the others (and unknown keys) get their defaults, with one warning. */
  private salvage(raw: Record<string, unknown>): Prefs {
    const prefs: Record<string, unknown> = { ...DEFAULT_PREFS };
    const dropped: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
      const field = prefsSchema.shape[key as keyof Prefs] as (typeof prefsSchema.shape)[keyof Prefs] | undefined;
      const parsed = field?.safeParse(value);
      if (parsed?.success) prefs[key] = parsed.data;
      else dropped.push(field ? `${key} (${parsed?.error.issues[0]?.message ?? 'invalid'})` : `${key} (unknown)`);
    }
    if (dropped.length > 0) {
      const backup = this.backup();
      this.warn(`Ignored in ${this.file}: ${dropped.join(', ')}; the defaults apply to those. The file as it was is kept as ${backup}.`);
    }
    return prefsSchema.parse(prefs);
  }

  private setAside(why: string): Prefs {
    const backup = this.backup();
    this.warn(`The preferences in ${this.file} could not be read: ${why}. They are kept as ${backup}; using the defaults.`);
    return { ...DEFAULT_PREFS };
  }

  private backup(): string {
    const target = `${this.file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      fs.copyFileSync(this.file, target);
    } catch (err) {
      return `nothing (copying it failed: ${(err as Error).message})`;
    }
    return target;
  }

  private write(prefs: Prefs): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(this.userDataDir, { recursive: true });
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeFileSync(fd, `${JSON.stringify(prefs, null, 2)}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new ApiError('IO_ERROR', `Could not save the preferences in ${this.file}: ${(err as Error).message}`);
    }
  }
}
