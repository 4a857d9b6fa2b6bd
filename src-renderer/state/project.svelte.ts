import type { AppInfo, ProjectInfo, RecentProject } from '../../src-main/shared/dto.js';
import { api } from '../lib/api.js';
import { toasts } from './toasts.svelte.js';

/** The app, the open project and the recent projects list. */
class ProjectState {
  app = $state<AppInfo | null>(null);
  current = $state<ProjectInfo | null>(null);
  recent = $state<RecentProject[]>([]);
  /** Set when the very first call failed: the page cannot talk to the app at all. */
  startError = $state<string | null>(null);
  loaded = $state(false);
  busy = $state(false);

  nativeDialogs = $derived(this.app?.capabilities.nativeDialogs ?? false);
  /** Changes only when another project opens, not when the open one's details are refreshed. */
  path = $derived(this.current?.path ?? null);

  async load(): Promise<void> {
    try {
      const app = await api.invoke('app:info', {});
      this.app = app;
      this.current = app.project;
      this.startError = null;
    } catch (err) {
      this.startError = err instanceof Error ? err.message : String(err);
      return;
    } finally {
      this.loaded = true;
    }
    await this.loadRecent();
  }

  connect(): () => void {
    const offChanged = api.on('project:changed', (project) => {
      this.current = project;
      if (!project) void this.loadRecent();
    });
    const offResync = api.onResync(() => void this.refreshCurrent());
    // Preferences (here, in another window or the desktop menu) removed entries.
    const offRecent = api.on('recent:changed', (recent) => (this.recent = recent));
    return () => {
      offChanged();
      offResync();
      offRecent();
    };
  }

  async loadRecent(): Promise<void> {
    try {
      this.recent = await api.invoke('project:recent', {});
    } catch (err) {
      toasts.error('Could not list recent projects', err);
    }
  }

  /** Forgets a project in the recent list (its folder is left alone). */
  async forgetRecent(path: string): Promise<void> {
    try {
      this.recent = await api.invoke('project:recent:remove', { path });
    } catch (err) {
      toasts.error('Could not remove the project from the list', err);
      await this.loadRecent();
    }
  }

  async clearRecent(): Promise<void> {
    try {
      this.recent = await api.invoke('project:recent:clear', {});
    } catch (err) {
      toasts.error('Could not clear the recent projects', err);
    }
  }

  async create(path: string, name: string | undefined): Promise<boolean> {
    return this.run('Could not create the project', async () => {
      this.current = await api.invoke('project:create', name ? { path, name } : { path });
    });
  }

  async open(path: string): Promise<boolean> {
    return this.run('Could not open the project', async () => {
      this.current = await api.invoke('project:open', { path });
    });
  }

  async close(): Promise<boolean> {
    return this.run('Could not close the project', async () => {
      await api.invoke('project:close', {});
      this.current = null;
      await this.loadRecent();
    });
  }

  private async refreshCurrent(): Promise<void> {
    try {
      this.current = await api.invoke('project:current', {});
    } catch (err) {
      toasts.error('Could not read the open project', err);
    }
  }

  private async run(title: string, action: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    try {
      await action();
      return true;
    } catch (err) {
      toasts.error(title, err);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

export const project = new ProjectState();
