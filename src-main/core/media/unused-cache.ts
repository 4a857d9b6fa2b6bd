import type { ProjectSession } from '../core-context.js';
import { removeQuietly } from './cache-files.js';

/** Deletes a poster or proxy once no row points at it any more. */
export async function removeCacheFileIfUnused(session: ProjectSession, rel: string): Promise<void> {
  if (!session.videos.isCacheFileReferenced(rel)) await removeQuietly(session.project.cachePath(rel));
}
