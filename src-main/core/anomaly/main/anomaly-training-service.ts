import fs from 'node:fs/promises';
import {
  ANOMALY_SETTINGS_DEFAULTS,
  TEACHER_TASK,
  type AnomalyRunDto,
  type AnomalyScoreOptions,
  type AnomalySettings,
  type AnomalyTaskName,
  type PerTask,
} from '../../../shared/anomaly.js';
import type { JobDto, AnomalyJobSummary } from '../../../shared/dto.js';
import { ApiError } from '../../../shared/errors.js';
import { nowIso } from '../../clock.js';
import type { EventBus } from '../../events.js';
import type { JobContext, JobManager } from '../../jobs/job-manager.js';
import type { ClipService } from '../../labels/clip-service.js';
import type { MediaTools } from '../../media/media-tools.js';
import type { VideoRepository } from '../../media/video-repository.js';
import type { Project } from '../../project/project.js';
import { checkTeacherFolder } from '../../teacher/teacher-folder.js';
import type { AnomalyMarkService } from './marks/anomaly-mark-service.js';
import type { AnomalyScoreConfig, AnomalyScoreFromWorker } from '../anomaly-score-job.js';
import type { VideoScores } from '../worker/score/score-video.js';
import { AnomalyScoreRepository } from './store/anomaly-score-repository.js';
import {
  ACTIVE_ANOMALY_STATES,
  AnomalyRunRepository,
  normalSummary,
  type AnomalyRunUpdate,
} from './store/anomaly-run-repository.js';
import type { AnomalyFromWorker, AnomalyRunConfig } from '../anomaly-train-job.js';
import type { AnomalyEngine } from './anomaly-engine.js';
import { anomalyRunDir, anomalyRunModelDir } from './anomaly-run-files.js';

export interface AnomalyTrainingServiceDeps {
  project: Project;
  jobs: JobManager;
  events: EventBus;
  tools: MediaTools;
  videos: VideoRepository;
  /** Probes the frame timing marks need before whole videos are marked normal. */
  clips: ClipService;
  marks: () => AnomalyMarkService;
  engine: () => AnomalyEngine;
}

export interface AnomalyOptions {
  defaults: AnomalySettings;
  normal: AnomalyRunDto['normal'];
}

/**
 * Starts, resumes, cancels and removes anomaly runs, and scores videos with them. Training and scoring
 * are jobs run by the engine (the worker thread); every message is persisted as it arrives.
 */
export class AnomalyTrainingService {
  readonly runs: AnomalyRunRepository;
  readonly scores: AnomalyScoreRepository;

  constructor(private readonly deps: AnomalyTrainingServiceDeps) {
    this.runs = new AnomalyRunRepository(deps.project.db);
    this.scores = new AnomalyScoreRepository(deps.project.db);
  }

  options(): AnomalyOptions {
    return { defaults: ANOMALY_SETTINGS_DEFAULTS, normal: normalSummary(this.deps.marks().normalFootage()) };
  }

  get(id: number): AnomalyRunDto {
    const run = this.runs.get(id);
    if (!run) throw new ApiError('NOT_FOUND', `There is no anomaly run ${id}.`);
    return run;
  }

  /** Starts a run on the footage marked normal now; `normalVideoIds` are marked normal whole first. */
  async start(settings: AnomalySettings, name?: string, normalVideoIds?: readonly number[]): Promise<AnomalyRunDto> {
    if (settings.teacherDir !== null) await checkTeacherFolder(settings.teacherDir);
    if (normalVideoIds !== undefined && normalVideoIds.length > 0) {
      for (const id of normalVideoIds) {
        if (!this.deps.videos.get(id)) throw new ApiError('NOT_FOUND', `There is no video ${id}.`);
      }
      await this.deps.clips.prepareTiming([...normalVideoIds]);
      this.deps.marks().markWholeVideos(normalVideoIds, 'normal');
    }
    const normal = this.deps.marks().normalFootage();
    if (normal.length === 0) {
      throw new ApiError(
        'CONFLICT',
        'No footage is marked normal: mark whole videos or stretches of them normal first — anomaly training learns what normal looks like from them.',
      );
    }
    const runId = this.runs.create({
      name: name ?? `SSMTL ${nowIso().slice(0, 16).replace('T', ' ')}`,
      settings,
      normal,
    });
    return this.queueTraining(runId, false);
  }

  resume(runId: number): AnomalyRunDto {
    const run = this.get(runId);
    if (!run.resumable) {
      throw new ApiError(
        'CONFLICT',
        run.epochsDone >= run.settings.epochs
          ? `Anomaly run ${runId} has already trained all its ${run.settings.epochs} epochs.`
          : `Anomaly run ${runId} is ${run.status} and has no checkpoint to continue from.`,
      );
    }
    this.requireIdle(run);
    return this.queueTraining(runId, true);
  }

  /** Cancels the run's training or scoring job; a run with no job is returned as it is. */
  cancel(runId: number): AnomalyRunDto {
    const run = this.get(runId);
    if (run.jobId === null) return run;
    const job = this.deps.jobs.cancel(run.jobId);
    if (job.state === 'cancelled') {
      // A job cancelled before it started never runs its body: finish what it would have finished.
      if (this.get(runId).status === 'queued') this.finish(runId, { status: 'cancelled', error: null });
      else this.update(runId, { jobId: null });
    }
    return this.get(runId);
  }

  /** Removes a run that is not busy, with its metrics, scores, checkpoint and model. */
  async remove(runId: number): Promise<void> {
    const run = this.get(runId);
    const busy = ACTIVE_ANOMALY_STATES.includes(run.status) ? run.status : run.jobId !== null ? 'scoring videos' : null;
    if (busy !== null) throw new ApiError('CONFLICT', `Anomaly run ${runId} is ${busy}: cancel it before deleting it.`);
    this.runs.remove(runId);
    await fs.rm(anomalyRunDir(this.deps.project, runId), { recursive: true, force: true });
    this.deps.events.emit('anomaly:runs:removed', { id: runId });
  }

  /** Scores videos with a trained run: one job, each video's curve stored (and announced) when it is done. */
  score(runId: number, videoIds: readonly number[], options: AnomalyScoreOptions): JobDto {
    const run = this.get(runId);
    if (!run.hasModel) throw new ApiError('CONFLICT', `Anomaly run ${runId} has no trained model yet: train it to the end first.`);
    this.requireIdle(run);
    const ids = [...new Set(videoIds)];
    if (ids.length === 0) throw new ApiError('INVALID_PARAMS', 'Choose at least one video to score.');
    const videos = ids.map((id) => {
      const video = this.deps.videos.get(id);
      if (!video) throw new ApiError('NOT_FOUND', `There is no video ${id}.`);
      return { videoId: id, path: video.path };
    });
    const config: AnomalyScoreConfig = {
      runId,
      modelDir: anomalyRunModelDir(this.deps.project, runId),
      videos,
      options: { stride: options.stride, sigma: options.sigma, longSide: run.settings.longSide },
      tools: { ffmpeg: this.deps.tools.ffmpeg, ffprobe: this.deps.tools.ffprobe },
    };
    const title = `Score ${videos.length === 1 ? 'a video' : `${videos.length} videos`} with anomaly run ${runId}`;
    const job = this.deps.jobs.start('train', title, (ctx) => this.runScoring(config, options, ctx));
    this.update(runId, { jobId: job.id });
    return job;
  }

  private requireIdle(run: AnomalyRunDto): void {
    if (ACTIVE_ANOMALY_STATES.includes(run.status)) throw new ApiError('CONFLICT', `Anomaly run ${run.id} is still ${run.status}.`);
    if (run.jobId !== null) throw new ApiError('CONFLICT', `Anomaly run ${run.id} is busy scoring videos: wait for it, or cancel it.`);
  }

  private queueTraining(runId: number, resume: boolean): AnomalyRunDto {
    const run = this.get(runId);
    const config: AnomalyRunConfig = {
      runId,
      settings: run.settings,
      normal: this.runs.normal(runId).map((n) => ({ file: n.path, startFrame: n.startFrame, endFrame: n.endFrame })),
      runDir: anomalyRunDir(this.deps.project, runId),
      tools: { ffmpeg: this.deps.tools.ffmpeg, ffprobe: this.deps.tools.ffprobe },
      resume,
    };
    if (resume) this.runs.dropMetricsAfter(runId, run.epochsDone);
    const job = this.deps.jobs.start('train', `${resume ? 'Resume' : 'Train'} anomaly run ${runId}`, (ctx) => this.train(config, ctx));
    this.update(runId, { status: 'queued', jobId: job.id, error: null, finishedAt: null });
    return this.get(runId);
  }

  private async train(config: AnomalyRunConfig, ctx: JobContext): Promise<AnomalyJobSummary> {
    const { runId } = config;
    this.update(runId, { status: 'running', startedAt: nowIso() });
    try {
      const outcome = await this.deps.engine().trainAnomaly(config, (m) => this.onTrainMessage(runId, m, ctx), ctx.signal);
      if (outcome === 'cancelled') {
        this.finish(runId, { status: 'cancelled', error: null });
        throw new ApiError('CANCELLED', 'Anomaly training cancelled.');
      }
      this.finish(runId, { status: 'succeeded', error: null, hasModel: true });
      return { kind: 'anomaly', runId, epochs: this.get(runId).epochsDone, videosScored: 0 };
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'CANCELLED')) {
        this.finish(runId, { status: 'failed', error: errorText(error) });
      }
      throw error;
    }
  }

  private onTrainMessage(runId: number, message: AnomalyFromWorker, ctx: JobContext): void {
    switch (message.type) {
      case 'started':
        this.update(runId, { backend: message.backend.name, backendReason: message.backend.reason });
        return;
      case 'progress':
        ctx.progress(message.total > 0 ? message.done / message.total : null, message.message);
        return;
      case 'anomaly-tubes':
        this.update(runId, { tubes: message.stats });
        return;
      case 'anomaly-step':
        this.runs.addStep(runId, message.metrics);
        this.deps.events.emit('anomaly:step', { runId, ...message.metrics });
        return;
      case 'anomaly-epoch':
        this.runs.addEpoch(runId, message.metrics);
        this.deps.events.emit('anomaly:epoch', { runId, ...message.metrics });
        this.emitRun(runId);
        return;
      case 'anomaly-done':
      case 'cancelled':
      case 'error':
        // The engine's promise carries these outcomes.
        return;
    }
  }

  private async runScoring(config: AnomalyScoreConfig, options: AnomalyScoreOptions, ctx: JobContext): Promise<AnomalyJobSummary> {
    const { runId } = config;
    let scored = 0;
    try {
      const outcome = await this.deps.engine().scoreAnomaly(
        config,
        (message: AnomalyScoreFromWorker) => {
          if (message.type === 'progress') {
            ctx.progress(message.total > 0 ? message.done / message.total : null, message.message);
          } else if (message.type === 'anomaly-scores') {
            this.saveScores(runId, message.videoId, message.result, options);
            scored++;
          }
        },
        ctx.signal,
      );
      if (outcome === 'cancelled') throw new ApiError('CANCELLED', 'Anomaly scoring cancelled.');
      return { kind: 'anomaly', runId, epochs: this.get(runId).epochsDone, videosScored: scored };
    } finally {
      this.update(runId, { jobId: null });
    }
  }

  private saveScores(runId: number, videoId: number, result: VideoScores, options: AnomalyScoreOptions): void {
    const curve = (task: AnomalyTaskName): Float32Array => {
      const values = result.perTask[task];
      if (!values) throw new Error(`The scoring job sent no "${task}" curve for video ${videoId}.`);
      return values;
    };
    const perTask: PerTask<Float32Array> = {
      'middle-frame-mae': curve('middle-frame-mae'),
      'p-backward': curve('p-backward'),
      'p-irregular': curve('p-irregular'),
    };
    if (result.perTask[TEACHER_TASK]) perTask[TEACHER_TASK] = curve(TEACHER_TASK);
    this.scores.save({
      runId,
      videoId,
      frameCount: result.frameCount,
      fps: result.fps,
      scores: result.scores,
      raw: result.raw,
      perTask,
      options,
      regionsScored: result.regionsScored,
      windows: result.windows,
      seconds: result.seconds,
    });
    this.deps.events.emit('anomaly:scored', { runId, videoId });
    this.emitRun(runId);
  }

  private update(runId: number, update: AnomalyRunUpdate): void {
    this.runs.update(runId, update);
    this.emitRun(runId);
  }

  private finish(runId: number, update: AnomalyRunUpdate): void {
    this.update(runId, { ...update, jobId: null, finishedAt: nowIso() });
  }

  private emitRun(runId: number): void {
    const run = this.runs.get(runId);
    if (run) this.deps.events.emit('anomaly:runs:changed', run);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
