import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.js';
import type { Segmentation } from '../../../shared/dto.js';
import { cutIntoWindows } from '../../labels/segmentation.js';
import { timeOfFrame } from '../../../shared/frame-time.js';
import { sampledContentHash } from '../../media/content-hash.js';
import { MediaFailure } from '../../media/media-failure.js';
import type { MediaTools } from '../../media/media-tools.js';
import { probeVideo } from '../../media/probe.js';
import type { ClipRef } from '../clips/clip-ref.js';
import { predictJob, type PredictionRow } from '../jobs.js';
import { modelMetadataSchema, type ModelMetadata } from './model-metadata.js';
import { predictionStats } from './prediction-stats.js';
import type { JobEngine } from '../../engine/job.js';

export interface StandalonePrediction {
  path: string;
  start: number;
  end: number;
  startFrame: number;
  endFrame: number;
  label: string;
  confidence: number;
  probs: Record<string, number>;
}

export interface StandaloneResult {
  model: ModelMetadata;
  predictions: StandalonePrediction[];
  failed: { path: string; reason: string }[];
}

export async function readModelMetadata(modelDir: string): Promise<ModelMetadata> {
  const file = path.join(modelDir, 'metadata.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new ApiError('NOT_FOUND', `${modelDir} is not an exported VSSL model: it has no metadata.json.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiError('UNSUPPORTED', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = modelMetadataSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('UNSUPPORTED', `${file} is not VSSL model metadata (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}).`);
  }
  return parsed.data;
}

async function clipsOf(tools: MediaTools, file: string, clipping: Segmentation): Promise<ClipRef[]> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new MediaFailure('the file does not exist');
  const { probe } = await probeVideo(tools, file, stat.size);
  if (!probe.fps || !probe.frameCount) throw new MediaFailure('it has no known frame rate or frame count');
  const timing = { fps: probe.fps, frameCount: probe.frameCount, startTime: probe.startTime ?? 0 };
  const hash = await sampledContentHash(file);
  return cutIntoWindows(timing, clipping).map(([startFrame, endFrame]) => ({
    clipId: 0,
    videoPath: file,
    videoHash: hash,
    startFrame,
    endFrame,
    startSec: timeOfFrame(timing, startFrame),
    endSec: timeOfFrame(timing, endFrame),
    fps: timing.fps,
  }));
}

/**
 * Classifies the clips of videos outside any project with an exported model, cutting them the
 * way the project did (or with `clipping`). Uses eval-mode probabilities, like in-app prediction.
 */
export async function predictWithExportedModel(
  engine: JobEngine,
  tools: MediaTools,
  modelDir: string,
  videos: string[],
  clipping?: Segmentation,
): Promise<StandaloneResult> {
  const model = await readModelMetadata(modelDir);
  if (model.files.model !== 'model.json') {
    throw new ApiError(
      'UNSUPPORTED',
      `${modelDir} holds an ONNX export: run model.onnx with onnxruntime (see its README.md), or export the run with --format tfjs to predict with it here.`,
    );
  }
  const clips: ClipRef[] = [];
  const failed: StandaloneResult['failed'] = [];
  for (const video of videos) {
    try {
      clips.push(...(await clipsOf(tools, path.resolve(video), clipping ?? model.clipping)));
    } catch (error) {
      failed.push({ path: video, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  // Index clips by position: outside a project they have no ids.
  const numbered = clips.map((clip, i) => ({ ...clip, clipId: i + 1 }));
  const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vssl-predict-'));
  const rows: PredictionRow[] = [];
  try {
    const outcome = await engine.run(
      predictJob,
      {
        runId: 0,
        modelDir,
        spec: { frames: model.input.frames, size: model.input.size, fps: model.input.fps },
        clips: numbered,
        mcPasses: 0,
        seed: 0,
        clipCacheDir: cacheDir,
        tools: { ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe },
      },
      (message) => {
        if (message.type === 'predictions') rows.push(...message.rows);
      },
      new AbortController().signal,
    );
    if (outcome === 'cancelled') throw new ApiError('CANCELLED', 'Prediction cancelled.');
  } finally {
    await fs.rm(cacheDir, { recursive: true, force: true });
  }
  const byId = new Map(rows.map((row) => [row.clipId, row]));
  const predictions: StandalonePrediction[] = [];
  for (const clip of numbered) {
    const row = byId.get(clip.clipId);
    if (!row) {
      failed.push({ path: clip.videoPath, reason: `frames ${clip.startFrame}–${clip.endFrame} could not be decoded` });
      continue;
    }
    const stats = predictionStats(row.probs);
    predictions.push({
      path: clip.videoPath,
      start: clip.startSec,
      end: clip.endSec,
      startFrame: clip.startFrame,
      endFrame: clip.endFrame,
      label: model.classes[stats.classIndex]?.name ?? String(stats.classIndex),
      confidence: stats.confidence,
      probs: Object.fromEntries(model.classes.map((c) => [c.name, row.probs[c.index] ?? 0])),
    });
  }
  return { model, predictions, failed };
}
