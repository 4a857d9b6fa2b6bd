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
import type { JobEngine } from '../../engine/job.js';
import { reportProgress, RunLifecycle } from '../../engine/main/run-lifecycle.js';
import type { EventBus } from '../../events.js';
import type { JobContext, JobManager } from '../../jobs/job-manager.js';
import type { ClipService } from '../../labels/clip-service.js';
import type { MediaTools } from '../../media/media-tools.js';
import type { VideoRepository } from '../../media/video-repository.js';
import type { Project } from '../../project/project.js';
import { checkTeacherFolder } from '../../teacher/teacher-folder.js';
import type { AnomalyMarkService } from './marks/anomaly-mark-service.js';
import { AnomalyScoreRepository } from './store/anomaly-score-repository.js';
import {
  ACTIVE_ANOMALY_STATES,
  AnomalyRunRepository,
  normalSummary,
} from './store/anomaly-run-repository.js';
import {
  anomalyScoreJob,
  anomalyTrainJob,
  type AnomalyEpochMetrics,
  type AnomalyRunConfig,
  type AnomalyScoreConfig,
  type AnomalyScoreMessage,
  type AnomalyStepMetrics,
  type AnomalyTrainMessage,
  type VideoScores,
} from '../jobs.js';
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
  /** What runs the jobs: the engine's worker thread (or the same jobs in this thread, in tests). */
  engine: () => JobEngine;
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
  private readonly lifecycle: RunLifecycle<AnomalyRunDto>;

  constructor(private readonly deps: AnomalyTrainingServiceDeps) {
    this.runs = new AnomalyRunRepository(deps.project.db);
    this.scores = new AnomalyScoreRepository(deps.project.db);
    this.lifecycle = new RunLifecycle(this.runs, deps.jobs, (run) => deps.events.emit('anomaly:runs:changed', run));
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
    const job = this.lifecycle.cancelJob(runId, run.jobId);
    // A scoring job cancelled before it started leaves the run as it was, without the job.
    if (job.state === 'cancelled' && this.get(runId).jobId !== null) this.lifecycle.update(runId, { jobId: null });
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
      options: {
        strideSeconds: options.strideSeconds,
        sigmaSeconds: options.sigmaSeconds,
        ...(options.stride !== undefined ? { stride: options.stride } : {}),
        ...(options.sigma !== undefined ? { sigma: options.sigma } : {}),
        // Scored as it was trained: the same frames a second, the same frame size.
        sampleFps: run.settings.sampleFps,
        longSide: run.settings.longSide,
        followObjects: run.settings.followObjects,
      },
      tools: { ffmpeg: this.deps.tools.ffmpeg, ffprobe: this.deps.tools.ffprobe },
    };
    const title = `Score ${videos.length === 1 ? 'a video' : `${videos.length} videos`} with anomaly run ${runId}`;
    return this.lifecycle.startJob(runId, title, (ctx) => this.runScoring(config, options, ctx));
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
    this.lifecycle.queue(runId, `${resume ? 'Resume' : 'Train'} anomaly run ${runId}`, (ctx) => this.train(config, ctx));
    return this.get(runId);
  }

  private train(config: AnomalyRunConfig, ctx: JobContext): Promise<AnomalyJobSummary> {
    const { runId } = config;
    return this.lifecycle.train(
      runId,
      'Anomaly training',
      () => this.deps.engine().run(anomalyTrainJob, config, (m) => this.onTrainMessage(runId, m, ctx), ctx.signal),
      () => ({ kind: 'anomaly' as const, runId, epochs: this.get(runId).epochsDone, videosScored: 0 }),
    );
  }

  private onTrainMessage(runId: number, message: AnomalyTrainMessage, ctx: JobContext): void {
    const recorded = this.lifecycle.record(runId, message, ctx, {
      step: (metrics: AnomalyStepMetrics) => {
        this.runs.addStep(runId, metrics);
        this.deps.events.emit('anomaly:step', { runId, ...metrics });
      },
      epoch: (metrics: AnomalyEpochMetrics) => {
        this.runs.addEpoch(runId, metrics);
        this.deps.events.emit('anomaly:epoch', { runId, ...metrics });
      },
    });
    // The engine's promise carries how the job ended; the tubes it trains on are this pipeline's own.
    if (!recorded && message.type === 'tubes') {
      this.runs.update(runId, { tubes: message.stats });
      this.lifecycle.emit(runId);
    }
  }

  private async runScoring(config: AnomalyScoreConfig, options: AnomalyScoreOptions, ctx: JobContext): Promise<AnomalyJobSummary> {
    const { runId } = config;
    let scored = 0;
    try {
      const onMessage = (message: AnomalyScoreMessage): void => {
        // Scoring leaves the run's own record (its backend) as training left it.
        if (message.type === 'progress') reportProgress(ctx, message);
        else if (message.type === 'scores') {
          this.saveScores(runId, message.videoId, message.result, options);
          scored++;
        }
      };
      const outcome = await this.deps.engine().run(anomalyScoreJob, config, onMessage, ctx.signal);
      if (outcome === 'cancelled') throw new ApiError('CANCELLED', 'Anomaly scoring cancelled.');
      return { kind: 'anomaly', runId, epochs: this.get(runId).epochsDone, videosScored: scored };
    } finally {
      this.lifecycle.update(runId, { jobId: null });
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
      boxes: result.boxes,
      options,
      sampling: result.sampling,
      regionsScored: result.regionsScored,
      windows: result.windows,
      seconds: result.seconds,
    });
    this.deps.events.emit('anomaly:scored', { runId, videoId });
    this.lifecycle.emit(runId);
  }
}
