import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ProjectInfo, RecentProject } from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';
import { nowIso } from '../clock.js';
import { projectFile } from './project-files.js';

const MAX_RECENT = 20;

const recentFileSchema = z.array(
  z.object({ path: z.string(), name: z.string(), openedAt: z.string() }),
);

/** The list of recently opened projects, kept in the app's user-data folder. */
export class RecentProjects {
  constructor(private readonly userDataDir: string) {}

  private get file(): string {
    return path.join(this.userDataDir, 'recent-projects.json');
  }

  list(): RecentProject[] {
    return this.read().map((entry) => ({ ...entry, exists: fs.existsSync(projectFile(entry.path)) }));
  }

  remember(project: ProjectInfo): void {
    const entries = this.read().filter((entry) => entry.path !== project.path);
    entries.unshift({ path: project.path, name: project.name, openedAt: nowIso() });
    this.write(entries);
  }

  /** Forgets `projectPath` (as listed); the project folder is not touched. */
  remove(projectPath: string): RecentProject[] {
    const entries = this.read();
    const kept = entries.filter((entry) => entry.path !== projectPath);
    if (kept.length === entries.length) {
      throw new ApiError('NOT_FOUND', `${projectPath} is not in the recent projects.`);
    }
    this.write(kept);
    return this.list();
  }

  clear(): RecentProject[] {
    this.write([]);
    return [];
  }

  private write(entries: z.infer<typeof recentFileSchema>): void {
    fs.mkdirSync(this.userDataDir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(entries.slice(0, MAX_RECENT), null, 2));
    fs.renameSync(tmp, this.file);
  }

  private read(): z.infer<typeof recentFileSchema> {
    try {
      const parsed = recentFileSchema.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : [];
    } catch {
      // No list yet, or a damaged one: start a fresh list rather than refuse to start.
      return [];
    }
  }
}
