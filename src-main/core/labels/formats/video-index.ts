import path from 'node:path';
import type { VideoRow } from '../../media/video-repository.js';

/** A Kinetics clip cut from a longer video and named `<youtube_id>_<start:06d>_<end:06d>`. */
export interface TrimmedClip {
  video: VideoRow;
  startSec: number;
  endSec: number;
}

export type VideoMatch = { video: VideoRow; by: 'path' | 'name' | 'stem' } | { reason: string };

const TRIMMED_STEM = /^(.+)_(\d{6})_(\d{6})$/;

/** The stem of a file name: its name without the last extension. */
export function stemOf(file: string): string {
  const base = path.basename(file);
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function describeMany(rows: readonly VideoRow[]): string {
  const shown = rows.slice(0, 3).map((r) => r.path);
  return `${shown.join(', ')}${rows.length > 3 ? ', …' : ''}`;
}

/** The project's videos, looked up the ways label files name them: path, file name, stem. */
export class VideoIndex {
  private readonly byPathMap = new Map<string, VideoRow>();
  private readonly byNameMap = new Map<string, VideoRow[]>();
  private readonly byStemMap = new Map<string, VideoRow[]>();
  private readonly trimmedMap = new Map<string, TrimmedClip[]>();

  constructor(readonly rows: readonly VideoRow[]) {
    for (const row of rows) {
      this.byPathMap.set(path.normalize(row.path), row);
      push(this.byNameMap, path.basename(row.path), row);
      const stem = stemOf(row.path);
      push(this.byStemMap, stem, row);
      const trimmed = TRIMMED_STEM.exec(stem);
      if (trimmed) {
        push(this.trimmedMap, trimmed[1]!, { video: row, startSec: Number(trimmed[2]), endSec: Number(trimmed[3]) });
      }
    }
  }

  byPath(file: string): VideoRow | null {
    return this.byPathMap.get(path.normalize(file)) ?? null;
  }

  byName(name: string): VideoRow[] {
    return this.byNameMap.get(name) ?? [];
  }

  byStem(stem: string): VideoRow[] {
    return this.byStemMap.get(stem) ?? [];
  }

  /** Kinetics clips cut from the video `id`. */
  trimmed(id: string): TrimmedClip[] {
    return this.trimmedMap.get(id) ?? [];
  }

  /** Videos whose path ends with `suffix` (a relative path, e.g. from a Label Studio local-files URL). */
  bySuffix(suffix: string): VideoRow[] {
    const wanted = path.normalize(suffix).replace(/^([/\\])+/, '');
    if (!wanted) return [];
    const found: VideoRow[] = [];
    for (const [file, row] of this.byPathMap) {
      if (file === wanted || file.endsWith(`${path.sep}${wanted}`)) found.push(row);
    }
    return found;
  }

  /**
   * A path as written in a label file: absolute, or relative to `baseDir`; when no video has
   * that path, a video with the same file name (if exactly one has it), so files written on
   * another machine still match.
   */
  matchPath(written: string, baseDir: string): VideoMatch {
    const exact = this.byPath(path.resolve(baseDir, written));
    if (exact) return { video: exact, by: 'path' };
    return this.matchName(path.basename(written), `“${written}”`);
  }

  matchName(name: string, shown: string): VideoMatch {
    const named = this.byName(name);
    if (named.length === 1) return { video: named[0]!, by: 'name' };
    if (named.length > 1) {
      return { reason: `ambiguous video ${shown}: ${named.length} videos are called ${name} (${describeMany(named)})` };
    }
    return { reason: `unknown video ${shown}: no video in the project has this path or file name` };
  }

  /** A file stem (ActivityNet id, Kinetics youtube_id): exactly one video must have it. */
  matchStem(stem: string, shown: string): VideoMatch {
    const found = this.byStem(stem);
    if (found.length === 1) return { video: found[0]!, by: 'stem' };
    if (found.length > 1) {
      return { reason: `ambiguous video ${shown}: ${found.length} videos are named ${stem}.* (${describeMany(found)})` };
    }
    return { reason: `unknown video ${shown}: no video in the project is named ${stem}.*` };
  }
}

/** Counts how rows found their videos, for a note when some were matched loosely. */
export class MatchTally {
  private byName = 0;

  count(match: VideoMatch): void {
    if ('video' in match && match.by === 'name') this.byName++;
  }

  notes(): string[] {
    if (this.byName === 0) return [];
    return [
      `${this.byName} row${this.byName === 1 ? '' : 's'} matched a video by file name only: no video has the path written in the file.`,
    ];
  }
}
