/**
 * The EMA weights of a run's best epoch so far (until it stops improving): `runDir/best-model`, a TF.js
 * layers model as runDir/model is, and `best-epoch.json` beside it naming the epoch, written after the
 * model so the epoch it names is always the one the folder holds.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { saveModel } from '../../../engine/worker/model-io.js';
import { classifierOf } from '../models/extra-heads.js';
import type { TrainingParts } from './training-parts.js';

export const BEST_MODEL_DIR = 'best-model';
const BEST_EPOCH_FILE = 'best-epoch.json';

const bestEpochSchema = z.object({ epoch: z.number().int().positive() });

/** Saves the parts' EMA classifier as the best epoch's. */
export async function saveBestWeights(parts: TrainingParts, runDir: string, epoch: number): Promise<void> {
  const file = path.join(runDir, BEST_EPOCH_FILE);
  await fs.rm(file, { force: true });
  await parts.ema.withEma(parts.model, () => saveModel(classifierOf(parts.model), path.join(runDir, BEST_MODEL_DIR)));
  await fs.writeFile(file, JSON.stringify({ epoch }));
}

/** The epoch whose weights runDir/best-model holds; null when none were saved (or their record is unreadable). */
export async function bestEpochSaved(runDir: string): Promise<number | null> {
  try {
    const parsed = bestEpochSchema.safeParse(JSON.parse(await fs.readFile(path.join(runDir, BEST_EPOCH_FILE), 'utf8')));
    return parsed.success ? parsed.data.epoch : null;
  } catch {
    return null;
  }
}
