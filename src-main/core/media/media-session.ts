import fs from 'node:fs/promises';
import type { CoreContext, ProjectSession } from '../core-context.js';
import { sweepCache } from './cache-files.js';
import { ProxyQueue } from './proxy-queue.js';
import { VideoChanges } from './video-changes.js';
import { statusWhenPresent } from './video-status.js';

/** Media services that live as long as one open project. */
export interface MediaServices {
  readonly changes: VideoChanges;
  readonly proxies: ProxyQueue;
}

const servicesBySession = new WeakMap<ProjectSession, MediaServices>();
const presenceBySession = new WeakMap<ProjectSession, Promise<void>>();

export function mediaServices(ctx: CoreContext, session: ProjectSession): MediaServices {
  let services = servicesBySession.get(session);
  if (!services) {
    const changes = new VideoChanges(ctx.events);
    services = { changes, proxies: new ProxyQueue(ctx, session, changes) };
    servicesBySession.set(session, services);
  }
  return services;
}

/** Posters and proxies of the videos, and of removed videos that history:undo can bring back. */
function cacheFilesInUse(session: ProjectSession): Set<string> {
  const refs = session.videos.cacheReferences();
  for (const row of session.labels.journal.heldRows('videos')) {
    for (const rel of [row.poster_path, row.proxy_path]) if (typeof rel === 'string') refs.add(rel);
  }
  return refs;
}

/**
 * Runs when a project opens: clears cache files a crash left half-written or orphaned, marks
 * videos whose file is gone as 'missing' (and found ones back), then resumes pending proxies.
 */
export function startMediaSession(ctx: CoreContext, session: ProjectSession): void {
  const services = mediaServices(ctx, session);
  try {
    sweepCache(session.project, cacheFilesInUse(session));
  } catch (err) {
    console.warn('Could not clean the media cache:', err);
  }
  const presence = checkPresence(ctx, session, services)
    .catch((err: unknown) => console.error('Missing-file check failed:', err))
    .finally(() => services.proxies.kick());
  presenceBySession.set(session, presence);
}

/**
 * What a reader's open does (another live process may hold the project): only the missing-file check. A
 * video's presence is a fact about the disk, not a job, run or cache file the lock's holder may be using.
 */
export function startReaderSession(ctx: CoreContext, session: ProjectSession): void {
  const presence = checkPresence(ctx, session, mediaServices(ctx, session)).catch((err: unknown) => console.error('Missing-file check failed:', err));
  presenceBySession.set(session, presence);
}

/**
 * Settles once the missing-file check that opening `session` started has finished: a caller that
 * lists videos and then exits (the CLI) awaits it so renamed or deleted files show as 'missing'.
 */
export function presenceChecked(session: ProjectSession): Promise<void> {
  return presenceBySession.get(session) ?? Promise.resolve();
}

const STAT_BATCH = 64;

/** Stats every video file in small batches so a project of 10,000 videos opens without a stall. */
export async function checkPresence(ctx: CoreContext, session: ProjectSession, services: MediaServices): Promise<void> {
  const rows = session.videos.presenceCandidates();
  for (let i = 0; i < rows.length; i += STAT_BATCH) {
    const batch = rows.slice(i, i + STAT_BATCH);
    const present = await Promise.all(
      batch.map((row) => fs.stat(row.path).then((s) => s.isFile(), () => false)),
    );
    if (ctx.currentSession() !== session || !session.project.db.open) return;
    batch.forEach((row, j) => {
      const status = present[j] ? statusWhenPresent(row) : 'missing';
      if ((row.status === 'missing') !== (status === 'missing') && session.videos.setStatusIfAt(row.id, row.path, status)) {
        services.changes.add(row.id);
      }
    });
  }
  services.changes.flush();
}
