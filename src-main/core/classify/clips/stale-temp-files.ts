import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from '../../project/project-lock.js';

/** Temp names carry the writer's pid: `.decode-<pid>-<hex>.rgb`, `<start>-<end>.partial-<pid>-<hex>.u8`. */
const TEMP_NAME = /(?:^\.decode-|\.partial-)(\d+)-[0-9a-f]+\./;


/**
 * Removes temp files that a killed process left in one folder of the clip cache. Files of live
 * processes stay: another app or CLI run may be decoding into the same cache right now.
 */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || isProcessAlive(pid)) continue;
    await fsp.rm(path.join(dir, name), { force: true }).catch(() => undefined);
    removed++;
  }
  return removed;
}

/**
 * Writes a cache file `<name>.u8` whole or not at all: into `<name>.partial-<pid>-<hex>.u8` first (a name
 * removeStaleTempFiles recognises after a crash), then renamed over the final name.
 */
export async function writeCacheFileAtomically(file: string, bytes: Uint8Array): Promise<void> {
  if (!file.endsWith('.u8')) throw new Error(`cache files end in .u8, got ${file}`);
  const temp = `${file.slice(0, -'.u8'.length)}.partial-${process.pid}-${randomBytes(4).toString('hex')}.u8`;
  try {
    await fsp.writeFile(temp, bytes);
    await fsp.rename(temp, file);
  } finally {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
  }
}
