import { MODEL_DIR } from '../../engine/model-files.js';
import type { Project } from '../../project/project.js';

/** Where a run keeps its checkpoint and its trained model, inside the project's cache. */
export function runDir(project: Project, runId: number): string {
  return project.cachePath('runs', String(runId));
}

export function runModelDir(project: Project, runId: number): string {
  return project.cachePath('runs', String(runId), MODEL_DIR);
}

/** Decoded clips, shared by every run (keyed inside by input spec and video hash). */
export function clipCacheDir(project: Project): string {
  return project.cachePath('clips');
}
