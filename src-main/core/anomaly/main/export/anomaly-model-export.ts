/**
 * Exports an anomaly run's trained SSMTL model (the shared encoder and every head): the TF.js layers
 * files as they are, or an ONNX graph with a README, each with metadata.json.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { anomalyScoreOptionsSchema, type AnomalyRunDto } from '../../../../shared/anomaly.js';
import { ApiError } from '../../../../shared/errors.js';
import type { ModelExportFormat, ModelExportReport } from '../../../../shared/run-dto.js';
import { appVersion } from '../../../app-version.js';
import { nowIso } from '../../../clock.js';
import { readKerasModel } from '../../../engine/onnx/keras-model-files.js';
import { ONNX_OPSET } from '../../../engine/onnx/onnx-graph.js';
import type { Project } from '../../../project/project.js';
import { ANOMALY_OUTPUTS } from '../../anomaly-model-outputs.js';
import { anomalyRunModelDir } from '../anomaly-run-files.js';
import type { AnomalyModelMetadata } from './anomaly-model-metadata.js';
import { ANOMALY_ONNX_INPUT, anomalyOnnx } from './anomaly-onnx.js';
import { anomalyOnnxReadme } from './anomaly-onnx-readme.js';

const ONNX_FILE = 'model.onnx';

function perVideoSteps(sampleFps: number, strideSeconds: number, sigmaSeconds: number): string {
  return [
    sampleFps > 0
      ? `Of a video's decoded frames every k-th is kept, k = max(1, round(fps / ${sampleFps})), so the model sees ~${sampleFps} frames a second.`
      : 'Every decoded frame is kept.',
    `Regions are scored in 7-frame windows of the kept frames every ${strideSeconds} s (rounded to whole kept frames). Per video, each task's`,
    'region scores are min–max normalised over the video (a task whose scores are all equal becomes 0) and summed per region.',
    'A kept frame takes the highest sum among the regions whose window centre is at most half a stride away',
    '(0 where none is); kept frames before the first and after the last covered one take the nearest covered',
    "one's value; every video frame takes its nearest kept frame's value; the curve is then smoothed in time",
    `with a Gaussian of σ = ${sigmaSeconds} s (σ in frames = ${sigmaSeconds} × the video's delivered frame rate).`,
  ].join('\n');
}

function baseMetadata(run: AnomalyRunDto, teacherDim: number): AnomalyModelMetadata {
  const { settings } = run;
  const { strideSeconds, sigmaSeconds } = anomalyScoreOptionsSchema.parse({});
  return {
    format: 'vssl-anomaly-model',
    formatVersion: 1,
    app: { name: 'VSSL Studio', version: appVersion() },
    createdAt: nowIso(),
    method: 'ssmtl',
    run: { id: run.id, name: run.name, epochs: run.epochsDone },
    model: { size: settings.size, channels: settings.channels, width: settings.width, depth: settings.depth, teacherDim },
    input: {
      tubeFrames: 7,
      size: settings.size,
      channels: settings.channels,
      layout: 'NTHWC',
      dtype: 'float32',
      scale: 1 / 255,
      colour: settings.channels === 1 ? 'grey' : 'rgb',
      longSide: settings.longSide,
    },
    scoring: {
      regionScores: ['middle_frame_mae', 'p_backward', 'p_irregular', ...(teacherDim > 0 ? ['teacher_gap'] : [])],
      perVideo: perVideoSteps(settings.sampleFps, strideSeconds, sigmaSeconds),
      sampleFps: settings.sampleFps,
      strideSeconds,
      sigmaSeconds,
    },
    teacher: { dim: teacherDim, dir: settings.teacherDir },
    metrics: { loss: run.last?.loss ?? null, arrowAccuracy: run.last?.arrowAccuracy ?? null, irregularAccuracy: run.last?.irregularAccuracy ?? null },
    backend: run.backend,
    customLayers: [],
    files: { model: 'model.json' },
  };
}

async function writeOnnx(run: AnomalyRunDto, source: string, dir: string): Promise<AnomalyModelMetadata> {
  let onnx: ReturnType<typeof anomalyOnnx>;
  try {
    onnx = anomalyOnnx(await readKerasModel(source), {
      producerVersion: appVersion(),
      docString: `VSSL Studio anomaly model from run ${run.id} (${run.name}): region tubes → SSMTL heads and per-region scores.`,
      metadata: { run: String(run.id) },
    });
  } catch (error) {
    throw new ApiError('UNSUPPORTED', `The model of anomaly run ${run.id} cannot be exported as ONNX: ${(error as Error).message}`);
  }
  await fs.writeFile(path.join(dir, ONNX_FILE), onnx.bytes);
  const base = baseMetadata(run, onnx.teacherDim);
  const perRegion = (name: string): (number | string)[] => {
    if (name === 'middle_frame') return ['batch', onnx.size, onnx.size, onnx.channels];
    if (name === 'teacher_features') return ['batch', onnx.teacherDim];
    return name.endsWith('_logits') ? ['batch', 2] : ['batch'];
  };
  return {
    ...base,
    files: { model: ONNX_FILE },
    onnx: {
      opset: ONNX_OPSET,
      inputs: [{ name: ANOMALY_ONNX_INPUT, shape: ['batch', 7, onnx.size, onnx.size, onnx.channels], layout: 'NTHWC', dtype: 'float32' }],
      outputs: onnx.outputs.map((name) => ({ name, shape: perRegion(name) })),
      mcDropout: 'omitted',
      note: 'Inference is deterministic. p_backward, p_irregular and middle_frame_mae are the raw region scores the app computes from the heads.',
    },
  };
}

async function customLayerNames(modelJson: string): Promise<string[]> {
  const text = await fs.readFile(modelJson, 'utf8');
  return [...new Set([...text.matchAll(/"class_name"\s*:\s*"(Vssl[A-Za-z0-9]*)"/g)].map((m) => m[1] ?? ''))].filter(Boolean).sort();
}

export async function exportAnomalyModel(project: Project, run: AnomalyRunDto, dir: string, format: ModelExportFormat = 'tfjs'): Promise<ModelExportReport> {
  if (!run.hasModel) throw new ApiError('CONFLICT', `Anomaly run ${run.id} has no trained model to export: train it to the end first.`);
  const source = anomalyRunModelDir(project, run.id);
  const files = await fs.readdir(source).then(
    (names) => names.filter((f) => !f.startsWith('.')),
    () => [] as string[],
  );
  if (!files.includes('model.json')) throw new ApiError('NOT_FOUND', `The model files of anomaly run ${run.id} are missing from ${source}.`);
  let written: string[];
  let metadata: AnomalyModelMetadata;
  try {
    await fs.mkdir(dir, { recursive: true });
    if (format === 'onnx') {
      metadata = await writeOnnx(run, source, dir);
      await fs.writeFile(path.join(dir, 'README.md'), anomalyOnnxReadme(metadata));
      written = [ONNX_FILE, 'README.md'];
    } else {
      for (const file of files) await fs.copyFile(path.join(source, file), path.join(dir, file));
      const units = (await readKerasModel(source)).layers.get(ANOMALY_OUTPUTS.teacher)?.config['units'];
      const teacherDim = typeof units === 'number' ? units : 0;
      metadata = { ...baseMetadata(run, teacherDim), customLayers: await customLayerNames(path.join(source, 'model.json')) };
      written = files;
    }
    await fs.writeFile(path.join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('IO_ERROR', `Could not write the anomaly model to ${dir}: ${(error as Error).message}`);
  }
  return { dir, format, files: [...written, 'metadata.json'].sort() };
}
