import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../core/core.js';
import { sampledContentHash } from '../../core/media/content-hash.js';
import type { ImportFailure, VideoDto } from '../../shared/dto.js';
import { importIntoOpenProject } from './import.js';

export interface Footage {
  /** The project's video for each path, in the order given. */
  videos: VideoDto[];
  /** Paths this command imported first (they were not in the project). */
  imported: string[];
}

function regularFile(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(`${file}: no such file.`);
  }
  if (!stat.isFile()) throw new Error(`${file}: not a video file (${stat.isDirectory() ? 'it is a folder' : 'not a regular file'}).`);
}

const usable = (video: VideoDto | undefined): boolean => video !== undefined && video.status !== 'failed';

/**
 * The project's videos for video files given on the command line, importing (as `vssl import`
 * does) those the project does not hold yet. A file whose content the project already holds under
 * another path is that video. A file that cannot be imported fails the command with its reason.
 */
export async function footageFor(core: Core, paths: readonly string[]): Promise<Footage> {
  const files = [...new Set(paths.map((p) => path.resolve(p)))];
  for (const file of files) regularFile(file);
  const byPath = async () => new Map((await core.call('videos:list', {})).map((v) => [v.path, v]));
  let known = await byPath();
  const missing = files.filter((file) => !usable(known.get(file)));
  let failures: ImportFailure[] = [];
  if (missing.length > 0) {
    const report = await importIntoOpenProject(core, missing, false);
    if (report.state !== 'succeeded') throw new Error(`importing the videos ${report.state}: ${report.error ?? 'no reason given'}`);
    failures = report.import.failed;
    known = await byPath();
  }
  const videos: VideoDto[] = [];
  for (const file of files) {
    const atPath = known.get(file);
    if (atPath && usable(atPath)) {
      videos.push(atPath);
      continue;
    }
    const reason = failures.find((f) => f.path === file)?.reason ?? atPath?.error;
    if (reason) throw new Error(`${file}: ${reason}`);
    // The import skipped it as a copy of a video the project holds under another path.
    const hash = await sampledContentHash(file);
    const twin = [...known.values()].find((v) => v.hash === hash && usable(v));
    if (!twin) throw new Error(`${file}: could not be imported into the project.`);
    videos.push(twin);
  }
  return { videos, imported: missing };
}
