import fs from 'node:fs/promises';
import path from 'node:path';
import type { DatasetExportSummary, DatasetFormat, DatasetSkip, datasetExportParamsSchema } from '../../../../shared/dataset-export.js';
import type { z } from 'zod';
import { ApiError } from '../../../../shared/errors.js';
import type { JobContext, JobManager } from '../../../jobs/job-manager.js';
import type { ClipService } from '../../../labels/clip-service.js';
import { MediaFailure } from '../../../media/media-failure.js';
import type { MediaTools } from '../../../media/media-tools.js';
import type { Project } from '../../../project/project.js';
import { chooseEncoder, cutClip, probeVideoPackets, type CutMode, type VideoEncoder, type VideoPackets } from './clip-cutter.js';
import { gatherDatasetClips, type DatasetClip } from './dataset-clips.js';
import {
  CLASSES_FILE,
  CLIPS_CSV,
  TRAIN_LIST,
  VAL_LIST,
  classFolders,
  clipPaths,
  clipsCsv,
  datasetReadme,
  listText,
  type WrittenClip,
} from './dataset-layout.js';
import { frameIntervalFor, mmactionConfig } from './mmaction-config.js';

export type DatasetExportRequest = z.output<typeof datasetExportParamsSchema>;

export interface DatasetExportDeps {
  project: Project;
  jobs: JobManager;
  clips: ClipService;
  tools: MediaTools;
}

interface ExportPlan {
  out: string;
  format: DatasetFormat;
  request: DatasetExportRequest;
  classes: string[];
  clips: DatasetClip[];
  skipped: DatasetSkip[];
}

/** Refuses a target that holds anything: an export never mixes with or replaces other files. */
async function checkTarget(out: string): Promise<void> {
  const stat = await fs.stat(out).catch(() => null);
  if (stat === null) return;
  if (!stat.isDirectory()) throw new ApiError('CONFLICT', `${out} is a file: choose a new or empty folder for the dataset.`);
  if ((await fs.readdir(out)).length > 0) {
    throw new ApiError('CONFLICT', `${out} is not empty: choose a new or empty folder for the dataset.`);
  }
}

/**
 * Checks the request, picks the clips and the split at once (so a bad request fails the call, not
 * the job), then queues the job that cuts the clips and writes the dataset.
 */
export async function startDatasetExport(deps: DatasetExportDeps, request: DatasetExportRequest): Promise<{ jobId: number }> {
  const out = path.resolve(request.dir);
  await checkTarget(out);
  await deps.clips.prepareTiming();
  deps.clips.ensureSegmented();
  const pseudo =
    request.pseudoLabelRunId !== undefined ? { runId: request.pseudoLabelRunId, minConfidence: request.minConfidence } : undefined;
  const { classes, clips, skipped } = gatherDatasetClips(deps.project.db, request, pseudo);
  const plan: ExportPlan = { out, format: request.format, request, classes: classes.map((c) => c.name), clips, skipped };
  const job = deps.jobs.start('export', `Export dataset (${request.format}) to ${out}`, (ctx) => writeDataset(deps.tools, plan, ctx));
  return { jobId: job.id };
}

/** The folder written while the job runs; renamed to the target only once everything is in it. */
export function partialDir(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.vssl-partial`);
}

async function writeDataset(tools: MediaTools, plan: ExportPlan, ctx: JobContext): Promise<DatasetExportSummary> {
  const work = partialDir(plan.out);
  await fs.rm(work, { recursive: true, force: true });
  try {
    const summary = await writeInto(work, tools, plan, ctx);
    ctx.throwIfCancelled();
    await checkTarget(plan.out);
    await fs.rm(plan.out, { recursive: true, force: true }); // an empty folder, if any
    await fs.rename(work, plan.out);
    return summary;
  } catch (error) {
    await fs.rm(work, { recursive: true, force: true });
    throw error;
  }
}

async function writeInto(work: string, tools: MediaTools, plan: ExportPlan, ctx: JobContext): Promise<DatasetExportSummary> {
  const { request, classes } = plan;
  const folders = classFolders(classes);
  const files = clipPaths(plan.format, plan.clips, folders);
  const encoder = await chooseEncoder(tools.ffmpeg);
  const skipped = [...plan.skipped];
  const written: WrittenClip[] = [];
  const modes = { copy: 0, reencode: 0 };
  const byVideo = new Map<number, { clip: DatasetClip; file: string }[]>();
  plan.clips.forEach((clip, i) => {
    const entry = { clip, file: files[i] ?? '' };
    byVideo.set(clip.row.video_id, [...(byVideo.get(clip.row.video_id) ?? []), entry]);
  });
  let done = 0;
  for (const entries of byVideo.values()) {
    const source = entries[0]?.clip.row.video_path ?? '';
    const packets = await readPackets(tools, source, ctx.signal);
    if (typeof packets === 'string') {
      skipped.push({ path: source, frames: null, reason: `${packets}: its ${entries.length} clip(s) left out` });
      done += entries.length;
      continue;
    }
    for (const { clip, file } of entries) {
      ctx.throwIfCancelled();
      ctx.progress(done / plan.clips.length, `Cutting clip ${done + 1} of ${plan.clips.length}`);
      const cut = await cutOne(tools, { work, file, clip, packets, encoder, signal: ctx.signal });
      if ('failure' in cut) skipped.push({ path: source, frames: [clip.row.start_frame, clip.row.end_frame], reason: cut.failure });
      else {
        modes[cut.mode]++;
        written.push({ clip, file });
      }
      done++;
    }
  }
  if (written.length === 0) {
    throw new ApiError(
      'MEDIA_ERROR',
      `None of the ${plan.clips.length} labelled clips could be cut: ${skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')}`,
    );
  }
  const config = `configs/${request.name}_r2plus1d.py`;
  const lengths = written.map(({ clip }) => clip.row.end_frame - clip.row.start_frame).sort((a, b) => a - b);
  const typical = lengths[Math.floor(lengths.length / 2)] ?? request.frames;
  const counts = { train: written.filter((w) => w.clip.split === 'train').length, validation: 0 };
  counts.validation = written.length - counts.train;
  await fs.mkdir(path.join(work, 'configs'), { recursive: true });
  await fs.writeFile(path.join(work, TRAIN_LIST), listText(written, 'train'));
  await fs.writeFile(path.join(work, VAL_LIST), listText(written, 'val'));
  await fs.writeFile(path.join(work, CLASSES_FILE), classes.map((c) => `${c}\n`).join(''));
  await fs.writeFile(path.join(work, CLIPS_CSV), clipsCsv(written, classes));
  const frameInterval = frameIntervalFor(typical, request.frames);
  const configInput = { name: request.name, dataRoot: plan.out, classes, frames: request.frames, size: request.size, frameInterval };
  await fs.writeFile(path.join(work, config), mmactionConfig({ ...configInput, trainList: TRAIN_LIST, valList: VAL_LIST }));
  const readme = { ...request, dir: plan.out, config, classes, ...counts };
  await fs.writeFile(path.join(work, 'README.md'), datasetReadme(readme));
  return {
    kind: 'dataset-export',
    dir: plan.out,
    format: plan.format,
    classes,
    ...counts,
    copied: modes.copy,
    reencoded: modes.reencode,
    pseudoLabels: written.filter((w) => w.clip.pseudo).length,
    config,
    skipped,
  };
}

/** The video's packets, or why it cannot be cut (missing, unreadable). */
async function readPackets(tools: MediaTools, source: string, signal: AbortSignal): Promise<VideoPackets | string> {
  try {
    await fs.access(source);
  } catch {
    return 'the video file is missing';
  }
  try {
    return await probeVideoPackets(tools.ffprobe, source, signal);
  } catch (error) {
    if (error instanceof MediaFailure) return `the video cannot be read (${error.reason})`;
    throw error;
  }
}

interface CutOne {
  work: string;
  file: string;
  clip: DatasetClip;
  packets: VideoPackets;
  encoder: VideoEncoder;
  signal: AbortSignal;
}

/** Cuts one clip into the work folder; returns how, or why it failed. */
async function cutOne(tools: MediaTools, job: CutOne): Promise<{ mode: CutMode } | { failure: string }> {
  const out = path.join(job.work, ...job.file.split('/'));
  await fs.mkdir(path.dirname(out), { recursive: true });
  const { row } = job.clip;
  try {
    const mode = await cutClip(tools, {
      source: row.video_path,
      codec: row.codec,
      packets: job.packets,
      startFrame: row.start_frame,
      endFrame: row.end_frame,
      out,
      encoder: job.encoder,
      signal: job.signal,
    });
    return { mode };
  } catch (error) {
    if (!(error instanceof MediaFailure)) throw error;
    await fs.rm(out, { force: true });
    return { failure: error.reason };
  }
}
