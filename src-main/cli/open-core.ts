import fs from 'node:fs';
import path from 'node:path';
import { Core, defaultUserDataDir } from '../core/core.js';
import type { AppMode, ProjectInfo } from '../shared/dto.js';
import { cacheDir, projectDirFrom, projectFile } from '../core/project/project-files.js';

export function createCore(mode: AppMode): Core {
  return new Core({ mode, userDataDir: defaultUserDataDir() });
}

/** Runs `work` with a core, always closing the project afterwards so the database is left clean. */
export async function withCore<T>(mode: AppMode, work: (core: Core) => Promise<T>): Promise<T> {
  const core = createCore(mode);
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}

/**
 * Opens the project to change it: takes its lock, so this fails (PROJECT_LOCKED, naming the holder)
 * while another live process — the app, `vssl serve`, a training — has it open for writing.
 */
export async function openProject(core: Core, dir: string): Promise<ProjectInfo> {
  return core.call('project:open', { path: path.resolve(dir), access: 'write' });
}

/**
 * Opens the project only to read it: takes no lock and leaves jobs, runs and cache files alone, so
 * listing or exporting works while another process is importing into or training on the project.
 */
export async function openProjectToRead(core: Core, dir: string): Promise<ProjectInfo> {
  return core.call('project:open', { path: path.resolve(dir), access: 'read' });
}

/** Opens the project in `dir`, creating one there first when the folder holds none. */
export async function openOrCreateProject(core: Core, dir: string): Promise<ProjectInfo> {
  const resolved = projectDirFrom(dir);
  // A folder with a cache/ is a project even when its database is gone: open (and so refuse) it.
  if (fs.existsSync(projectFile(resolved)) || fs.existsSync(cacheDir(resolved))) {
    return core.call('project:open', { path: resolved });
  }
  return core.call('project:create', { path: resolved });
}
