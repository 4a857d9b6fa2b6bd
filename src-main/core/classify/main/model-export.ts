import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModelExportFormat, ModelExportReport, TrainedRunDto } from '../../../shared/run-dto.js';
import { ApiError } from '../../../shared/errors.js';
import { appVersion } from '../../app-version.js';
import { nowIso } from '../../clock.js';
import { readKerasModel } from '../../engine/onnx/keras-model-files.js';
import { ONNX_OPSET } from '../../engine/onnx/onnx-graph.js';
import { readSegmentation } from '../../labels/segmentation.js';
import type { Project } from '../../project/project.js';
import { CLASSIFIER_ONNX_INPUT, CLASSIFIER_ONNX_OUTPUT, classifierOnnx } from './classifier-onnx.js';
import { classifierOnnxReadme } from './classifier-onnx-readme.js';
import type { ModelMetadata } from './model-metadata.js';
import { runModelDir } from './run-files.js';

const ONNX_FILE = 'model.onnx';

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

/** The model folder of a run that has one, with model.json in it; a clear error otherwise. */
async function modelFiles(project: Project, run: TrainedRunDto): Promise<{ source: string; files: string[] }> {
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
  return { source, files };
}

/** Writes model.onnx and returns the metadata that says how to use it. */
async function writeOnnx(project: Project, run: TrainedRunDto, source: string, dir: string): Promise<ModelMetadata> {
  const base = modelMetadata(project, run, []);
  let onnx: ReturnType<typeof classifierOnnx>;
  try {
    onnx = classifierOnnx(await readKerasModel(source), {
      producerVersion: base.app.version,
      docString: `VSSL Studio classifier from run ${run.id} (${run.name}): clips [batch, T, S, S, 3] float 0..1 → class probabilities.`,
      metadata: { classes: JSON.stringify(base.classes.map((c) => c.name)), run: String(run.id) },
    });
  } catch (error) {
    throw new ApiError('UNSUPPORTED', `The model of run ${run.id} cannot be exported as ONNX: ${(error as Error).message}`);
  }
  if (onnx.classes !== base.classes.length) {
    throw new ApiError('CONFLICT', `The model of run ${run.id} gives ${onnx.classes} classes, the run has ${base.classes.length}.`);
  }
  await fs.writeFile(path.join(dir, ONNX_FILE), onnx.bytes);
  return {
    ...base,
    output: { kind: 'probabilities', name: CLASSIFIER_ONNX_OUTPUT },
    files: { model: ONNX_FILE },
    onnx: {
      opset: ONNX_OPSET,
      inputs: [{ name: CLASSIFIER_ONNX_INPUT, shape: ['batch', ...onnx.inputShape], layout: 'NTHWC', dtype: 'float32' }],
      outputs: [{ name: CLASSIFIER_ONNX_OUTPUT, shape: ['batch', onnx.classes] }],
      mcDropout: 'omitted',
      note: 'Inference is deterministic: MC-dropout and training-only heads are not in the graph; the output is the softmax of the class logits.',
    },
  };
}

/**
 * Writes a run's trained model into `dir` (created if missing) with metadata.json beside it: the
 * TF.js layers files as they are, or an ONNX graph and a README.md on running it.
 */
export async function exportModel(project: Project, run: TrainedRunDto, dir: string, format: ModelExportFormat = 'tfjs'): Promise<ModelExportReport> {
  const { source, files } = await modelFiles(project, run);
  let written: string[];
  let metadata: ModelMetadata;
  try {
    await fs.mkdir(dir, { recursive: true });
    if (format === 'onnx') {
      metadata = await writeOnnx(project, run, source, dir);
      await fs.writeFile(path.join(dir, 'README.md'), classifierOnnxReadme(metadata));
      written = [ONNX_FILE, 'README.md'];
    } else {
      for (const file of files) await fs.copyFile(path.join(source, file), path.join(dir, file));
      metadata = modelMetadata(project, run, await customLayerNames(path.join(source, 'model.json')));
      written = files;
    }
    await fs.writeFile(path.join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
    project.db
      .prepare('INSERT INTO models (run_id, dir, metadata_json, created_at) VALUES (?, ?, ?, ?)')
      .run(run.id, dir, JSON.stringify(metadata), metadata.createdAt);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('IO_ERROR', `Could not write the model to ${dir}: ${(error as Error).message}`);
  }
  return { dir, format, files: [...written, 'metadata.json'].sort() };
}
