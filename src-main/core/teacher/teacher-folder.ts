/**
 * The check a teacher model folder passes before a run is queued (anomaly distillation, VideoSSL):
 * it must be a folder holding a TF.js model.json. The worker loads and checks the model itself when
 * the run starts; this only turns a wrong path into an error a person can act on at once.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/errors.js';
import { MODEL_JSON } from '../engine/model-files.js';

export async function checkTeacherFolder(dir: string): Promise<void> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat) throw new ApiError('INVALID_PARAMS', `The teacher folder ${dir} does not exist: choose a folder with a TF.js layers image model.`);
  if (!stat.isDirectory()) {
    throw new ApiError('INVALID_PARAMS', `The teacher folder ${dir} is a file: choose the folder that holds ${MODEL_JSON} and its weights.`);
  }
  try {
    await fs.access(path.join(dir, MODEL_JSON));
  } catch {
    throw new ApiError('INVALID_PARAMS', `The teacher folder ${dir} has no ${MODEL_JSON}: choose a folder with a TF.js layers image model.`);
  }
}
