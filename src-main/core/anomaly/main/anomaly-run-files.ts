import type { Project } from '../../project/project.js';
import { MODEL_DIR } from '../../engine/model-files.js';

/** Where an anomaly run keeps its checkpoint and its trained model, inside the project's cache. */
export function anomalyRunDir(project: Project, runId: number): string {
  return project.cachePath('anomaly-runs', String(runId));
}

export function anomalyRunModelDir(project: Project, runId: number): string {
  return project.cachePath('anomaly-runs', String(runId), MODEL_DIR);
}
