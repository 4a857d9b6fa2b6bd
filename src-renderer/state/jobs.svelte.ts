import { SvelteMap } from 'svelte/reactivity';
import type { JobDto, JobState } from '../../src-main/shared/dto.js';
import { api } from '../lib/api.js';
import { toasts } from './toasts.svelte.js';

const ACTIVE: readonly JobState[] = ['queued', 'running'];

export function isActive(job: JobDto): boolean {
  return ACTIVE.includes(job.state);
}

/** Every job of the open project, newest first, kept current by 'job:updated' / 'job:removed'. */
class JobsState {
  private readonly byId = new SvelteMap<number, JobDto>();

  list = $derived([...this.byId.values()].sort((a, b) => b.id - a.id));
  active = $derived(this.list.filter(isActive));
  finishedCount = $derived(this.list.length - this.active.length);

  connect(isProjectOpen: () => boolean, onFinished: (job: JobDto) => void): () => void {
    const offUpdated = api.on('job:updated', (job) => {
      const before = this.byId.get(job.id);
      this.set(job);
      if (isActive(job) || (before && !isActive(before))) return;
      onFinished(job);
    });
    const offRemoved = api.on('job:removed', ({ id }) => {
      this.byId.delete(id);
    });
    const offResync = api.onResync(() => {
      if (isProjectOpen()) void this.load();
    });
    return () => {
      offUpdated();
      offRemoved();
      offResync();
    };
  }

  async load(): Promise<void> {
    try {
      const jobs = await api.invoke('jobs:list', {});
      const listed = new Set(jobs.map((job) => job.id));
      for (const id of this.byId.keys()) if (!listed.has(id)) this.byId.delete(id);
      for (const job of jobs) this.set(job);
    } catch (err) {
      toasts.error('Could not list the jobs', err);
    }
  }

  clearLocal(): void {
    this.byId.clear();
  }

  async cancel(id: number): Promise<void> {
    try {
      this.set(await api.invoke('jobs:cancel', { id }));
    } catch (err) {
      toasts.error('Could not cancel the job', err);
    }
  }

  async clearFinished(): Promise<void> {
    try {
      await api.invoke('jobs:clear', {});
      for (const [id, job] of this.byId) if (!isActive(job)) this.byId.delete(id);
    } catch (err) {
      toasts.error('Could not clear finished jobs', err);
    }
  }

  private set(job: JobDto): void {
    const current = this.byId.get(job.id);
    // Events and answers can cross: never let an older snapshot overwrite a newer one.
    if (current && current.updatedAt > job.updatedAt) return;
    this.byId.set(job.id, job);
  }
}

export const jobs = new JobsState();
