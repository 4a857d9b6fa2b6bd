import { untrack } from 'svelte';
import type { JobDto } from '../../src-main/shared/dto.js';
import { connection } from './connection.svelte.js';
import { jobs } from './jobs.svelte.js';
import { navigation } from './navigation.svelte.js';
import { prefs } from './prefs.svelte.js';
import { project } from './project.svelte.js';
import { toasts } from './toasts.svelte.js';
import { videos } from './videos.svelte.js';

/** Wires the domain states to the transport's events and reloads them when the project changes. */
export function startSession(): () => void {
  const isOpen = () => project.current !== null;
  const offs = [
    connection.connect(),
    project.connect(),
    prefs.connect(),
    videos.connect(isOpen),
    jobs.connect(isOpen, announceFinished),
  ];
  const stopEffects = $effect.root(() => {
    $effect(() => {
      const path = project.path;
      untrack(() => projectSwitched(path));
    });
  });
  void project.load();
  void prefs.load();
  return () => {
    for (const off of offs) off();
    stopEffects();
  };
}

function projectSwitched(path: string | null): void {
  navigation.openVideoId = null;
  videos.clear();
  jobs.clearLocal();
  if (path === null) return;
  videos.refresh();
  void jobs.load();
}

function announceFinished(job: JobDto): void {
  // The import emits 'videos:changed' as it goes; one more refresh makes the final state certain.
  if (job.kind === 'import' || job.kind === 'proxy') videos.refresh();
  if (job.state === 'failed') {
    toasts.error(`${job.title} failed`, new Error(job.error ?? job.message));
  } else if (job.state === 'succeeded' && job.result?.kind === 'import') {
    const r = job.result;
    const parts = [`${r.imported} imported`];
    if (r.duplicates) parts.push(`${r.duplicates} already in the project`);
    if (r.relinked) parts.push(`${r.relinked} relinked`);
    if (r.failed.length) parts.push(`${r.failed.length} failed`);
    toasts.info('Import finished', parts.join(', '));
  }
}
