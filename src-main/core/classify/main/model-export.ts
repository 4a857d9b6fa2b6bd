import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModelExportReport, TrainedRunDto } from '../../../shared/run-dto.js';
import { ApiError } from '../../../shared/errors.js';
import { appVersion } from '../../app-version.js';
import { nowIso } from '../../clock.js';
import { readSegmentation } from '../../labels/segmentation.js';
import type { Project } from '../../project/project.js';
import type { ModelMetadata } from './model-metadata.js';
import { runModelDir } from './run-files.js';

/** Layer class names in model.json that TF.js does not define itself (ours start with "Vssl"). */
async function customLayerNames(modelJson: string): Promise<string[]> {
  const text = await fs.readFile(modelJson, 'utf8');
  const names = new Set<string>();
  for (const match of text.matchAll(/"class_name"\s*:\s*"(Vssl[A-Za-z0-9]*)"/g)) if (match[1]) names.add(match[1]);
  return [...names].sort();
}

export function modelMetadata(project: Project, run: TrainedRunDto, customLayers: string[]): ModelMetadata {
  const { settings } = run;
  return {
    format: 'vssl-video-classifier',
    formatVersion: 1,
    app: { name: 'VSSL Studio', version: appVersion() },
    createdAt: nowIso(),
    run: { id: run.id, name: run.name, method: settings.method, epochs: run.epochsDone },
    architecture: settings.architecture,
    classes: run.classes.map((c, index) => ({ index, id: c.id, name: c.name })),
    input: { frames: settings.frames, size: settings.size, fps: settings.fps, layout: 'NTHWC', dtype: 'float32' },
    preprocessing: {
      frameSampling: settings.fps === null ? 'even' : 'fps',
      resize: 'short-side-resize-centre-crop',
      colour: 'rgb',
      scale: 1 / 255,
    },
    output: { kind: 'logits', activation: 'softmax' },
    clipping: readSegmentation(project.db),
    metrics: {
      validationAccuracy: run.last?.validationAccuracy ?? null,
      bestValidationAccuracy: run.bestValidationAccuracy,
      trainAccuracy: run.last?.trainAccuracy ?? null,
    },
    backend: run.backend,
    customLayers,
    files: { model: 'model.json' },
  };
}

/** Copies a run's trained model into `dir` (created if missing) and writes metadata.json beside it. */
export async function exportModel(project: Project, run: TrainedRunDto, dir: string): Promise<ModelExportReport> {
  if (!run.hasModel) throw new ApiError('CONFLICT', `Run ${run.id} has no trained model to export.`);
  const source = runModelDir(project, run.id);
  let files: string[];
  try {
    files = (await fs.readdir(source)).filter((f) => !f.startsWith('.'));
  } catch {
    throw new ApiError('NOT_FOUND', `The model files of run ${run.id} are missing from the project cache.`);
  }
  if (!files.includes('model.json')) {
    throw new ApiError('NOT_FOUND', `The model of run ${run.id} has no model.json in ${source}.`);
  }
  try {
    await fs.mkdir(dir, { recursive: true });
    for (const file of files) await fs.copyFile(path.join(source, file), path.join(dir, file));
    const metadata = modelMetadata(project, run, await customLayerNames(path.join(source, 'model.json')));
    await fs.writeFile(path.join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
    project.db
      .prepare('INSERT INTO models (run_id, dir, metadata_json, created_at) VALUES (?, ?, ?, ?)')
      .run(run.id, dir, JSON.stringify(metadata), metadata.createdAt);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('IO_ERROR', `Could not write the model to ${dir}: ${(error as Error).message}`);
  }
  return { dir, files: [...files, 'metadata.json'].sort() };
}
