import fs from 'node:fs/promises';
import type { RunDto } from '../../../shared/run-dto.js';
import { methodInfo, TEACHER_NEEDED, totalEpochsOf, type TrainSettings } from '../../../shared/training.js';
import { ApiError } from '../../../shared/errors.js';
import { nowIso } from '../../clock.js';
import type { EventBus } from '../../events.js';
import type { JobContext, JobManager } from '../../jobs/job-manager.js';
import type { ClipService } from '../../labels/clip-service.js';
import type { MediaTools } from '../../media/media-tools.js';
import type { FromWorker, PredictConfig, RunConfig } from '../../engine/job-messages.js';
import type { Project } from '../../project/project.js';
import { checkTeacherFolder } from '../../teacher/teacher-folder.js';
import { PredictionRepository } from './prediction-repository.js';
import { clipCacheDir, runDir, runModelDir } from './run-files.js';
import { ACTIVE_RUN_STATES, RunRepository } from './run-repository.js';
import { rememberFlip } from './train-options.js';
import { gatherTrainingDataset } from './training-dataset.js';

/** What runs training and prediction: the long-lived worker thread (or an in-process engine in tests). */
export interface TrainingEngine {
  train(config: RunConfig, onMessage: (message: FromWorker) => void, signal: AbortSignal): Promise<'done' | 'cancelled'>;
  predict(config: PredictConfig, onMessage: (message: FromWorker) => void, signal: AbortSignal): Promise<'done' | 'cancelled'>;
}

export interface TrainingServiceDeps {
  project: Project;
  jobs: JobManager;
  clips: ClipService;
  events: EventBus;
  tools: MediaTools;
  engine: () => TrainingEngine;
}

/** Starts, resumes, cancels and records classification runs; every message of the engine is persisted. */
export class TrainingService {
  readonly runs: RunRepository;
  readonly predictions: PredictionRepository;

  constructor(private readonly deps: TrainingServiceDeps) {
    this.runs = new RunRepository(deps.project.db);
    this.predictions = new PredictionRepository(deps.project.db);
  }

  get(id: number): RunDto {
    const run = this.runs.get(id);
    if (!run) throw new ApiError('NOT_FOUND', `There is no training run ${id}.`);
    return run;
  }

  /** The newest run with predictions: what commands use when no run is named. */
  latestPredicted(): RunDto {
    const run = this.runs.list().find((r) => r.predictions > 0);
    if (!run) throw new ApiError('NOT_FOUND', 'No run has predictions yet: train a model first.');
    return run;
  }

  /** Starts a run; `parentRunId` names the run it retrains (a round of the review loop). */
  async start(settings: TrainSettings, name?: string, parentRunId?: number): Promise<RunDto> {
    await checkMethodInputs(settings);
    await this.prepareClips();
    const dataset = gatherTrainingDataset(this.deps.project.db, settings);
    const method = methodInfo[settings.method];
    if (method.usesUnlabelled && dataset.unlabelled.length === 0) {
      throw new ApiError(
        'CONFLICT',
        `${method.title} learns from unlabelled clips and every clip is labelled: import more footage, or train Supervised.`,
      );
    }
    rememberFlip(this.deps.project, settings.flip);
    const runId = this.runs.create({
      name: name ?? `${settings.method} ${nowIso().slice(0, 16).replace('T', ' ')}`,
      settings,
      classes: dataset.classes,
      dataset: {
        train: dataset.train.length,
        validation: dataset.validation.length,
        unlabelled: dataset.unlabelled.length,
        reviewLabels: dataset.reviewLabels,
      },
      parentRunId: parentRunId ?? null,
    });
    return this.queueTraining(runId, false);
  }

  async resume(runId: number): Promise<RunDto> {
    const run = this.get(runId);
    if (!run.resumable) {
      throw new ApiError(
        'CONFLICT',
        run.epochsDone >= totalEpochsOf(run.settings)
          ? `Run ${runId} has already trained all its ${totalEpochsOf(run.settings)} epochs.`
          : `Run ${runId} is ${run.status} and has no checkpoint to continue from.`,
      );
    }
    // The teacher may have moved since the run started.
    await checkMethodInputs(run.settings);
    return this.queueTraining(runId, true);
  }

  cancel(runId: number): RunDto {
    const run = this.get(runId);
    if (!ACTIVE_RUN_STATES.includes(run.status) || run.jobId === null) return run;
    const job = this.deps.jobs.cancel(run.jobId);
    // A job cancelled before it started never runs its body: finish the run here.
    if (job.state === 'cancelled' && this.get(runId).status === 'queued') {
      this.finish(runId, { status: 'cancelled', error: null });
    }
    return this.get(runId);
  }

  async predict(runId: number, mcPasses?: number): Promise<RunDto> {
    const run = this.get(runId);
    if (!run.hasModel) throw new ApiError('CONFLICT', `Run ${runId} has no trained model yet.`);
    if (ACTIVE_RUN_STATES.includes(run.status)) throw new ApiError('CONFLICT', `Run ${runId} is still busy.`);
    await this.prepareClips();
    const dataset = gatherTrainingDataset(this.deps.project.db, run.settings);
    const { settings } = run;
    const config: PredictConfig = {
      runId,
      modelDir: runModelDir(this.deps.project, runId),
      spec: { frames: settings.frames, size: settings.size, fps: settings.fps },
      clips: dataset.all,
      mcPasses: mcPasses ?? settings.mcPasses,
      seed: settings.seed,
      clipCacheDir: clipCacheDir(this.deps.project),
      tools: { ffmpeg: this.deps.tools.ffmpeg, ffprobe: this.deps.tools.ffprobe },
    };
    const previous = run.status;
    const job = this.deps.jobs.start('train', `Predict with run ${runId}`, async (ctx) => {
      this.update(runId, { status: 'running', error: null });
      try {
        this.predictions.clear(runId);
        const outcome = await this.deps.engine().predict(config, (m) => this.onMessage(runId, m, ctx), ctx.signal);
        this.finish(runId, { status: previous, error: null });
        if (outcome === 'cancelled') throw new ApiError('CANCELLED', 'Prediction cancelled.');
        return { kind: 'run' as const, runId, epochs: run.epochsDone, predictions: this.predictions.count(runId) };
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'CANCELLED')) {
          this.finish(runId, { status: previous, error: `Prediction failed: ${errorText(error)}` });
        }
        throw error;
      }
    });
    this.update(runId, { jobId: job.id });
    return this.get(runId);
  }

  async remove(runId: number): Promise<void> {
    const run = this.get(runId);
    if (ACTIVE_RUN_STATES.includes(run.status)) {
      throw new ApiError('CONFLICT', `Run ${runId} is ${run.status}: cancel it before deleting it.`);
    }
    this.runs.remove(runId);
    await fs.rm(runDir(this.deps.project, runId), { recursive: true, force: true });
    this.deps.events.emit('runs:removed', { id: runId });
  }

  /** Probes what exact frame timing needs, then cuts any video not yet cut into clips. */
  private async prepareClips(): Promise<void> {
    await this.deps.clips.prepareTiming();
    this.deps.clips.ensureSegmented();
  }

  private queueTraining(runId: number, resume: boolean): RunDto {
    const run = this.get(runId);
    const dataset = gatherTrainingDataset(this.deps.project.db, run.settings);
    const sameClasses =
      dataset.classes.length === run.classes.length && dataset.classes.every((c, i) => c.id === run.classes[i]?.id);
    if (resume && !sameClasses) {
      throw new ApiError('CONFLICT', `The labelled classes changed since run ${runId} started: start a new run instead.`);
    }
    const config: RunConfig = {
      runId,
      settings: run.settings,
      classes: run.classes,
      train: dataset.train,
      validation: dataset.validation,
      unlabelled: dataset.unlabelled,
      unlabelledNegatives: dataset.unlabelledNegatives,
      predict: dataset.all,
      clipCacheDir: clipCacheDir(this.deps.project),
      runDir: runDir(this.deps.project, runId),
      tools: { ffmpeg: this.deps.tools.ffmpeg, ffprobe: this.deps.tools.ffprobe },
      resume,
    };
    if (resume) this.runs.dropMetricsAfter(runId, run.epochsDone);
    const title = `${resume ? 'Resume' : 'Train'} ${run.settings.method} (run ${runId})`;
    const job = this.deps.jobs.start('train', title, (ctx) => this.train(config, ctx));
    this.update(runId, { status: 'queued', jobId: job.id, error: null, finishedAt: null });
    return this.get(runId);
  }

  private async train(config: RunConfig, ctx: JobContext) {
    const { runId } = config;
    this.update(runId, { status: 'running', startedAt: nowIso() });
    try {
      this.predictions.clear(runId);
      const outcome = await this.deps.engine().train(config, (m) => this.onMessage(runId, m, ctx), ctx.signal);
      if (outcome === 'cancelled') {
        this.finish(runId, { status: 'cancelled', error: null });
        throw new ApiError('CANCELLED', 'Training cancelled.');
      }
      this.finish(runId, { status: 'succeeded', error: null, hasModel: true });
      const run = this.get(runId);
      return { kind: 'run' as const, runId, epochs: run.epochsDone, predictions: run.predictions };
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'CANCELLED')) {
        this.finish(runId, { status: 'failed', error: errorText(error) });
      }
      throw error;
    }
  }

  private onMessage(runId: number, message: FromWorker, ctx: JobContext): void {
    switch (message.type) {
      case 'started':
        this.update(runId, { backend: message.backend.name, backendReason: message.backend.reason });
        return;
      case 'progress': {
        const fraction = message.total > 0 ? message.done / message.total : null;
        ctx.progress(fraction, message.message);
        return;
      }
      case 'step': {
        const step = { epoch: message.epoch, step: message.step, loss: message.loss, maskRate: message.maskRate };
        this.runs.addStep(runId, step);
        this.deps.events.emit('run:step', { runId, ...step });
        return;
      }
      case 'epoch':
        this.runs.addEpoch(runId, message.metrics);
        this.deps.events.emit('run:epoch', { runId, ...message.metrics });
        this.emitRun(runId);
        return;
      case 'predictions':
        this.predictions.save(runId, this.get(runId).classes, message.rows);
        return;
      case 'done':
      case 'cancelled':
      case 'error':
        // The engine's promise carries these outcomes.
        return;
    }
  }

  private update(runId: number, update: Parameters<RunRepository['update']>[1]): void {
    this.runs.update(runId, update);
    this.emitRun(runId);
  }

  private finish(runId: number, update: Parameters<RunRepository['update']>[1]): void {
    this.update(runId, { ...update, jobId: null, finishedAt: nowIso() });
  }

  private emitRun(runId: number): void {
    const run = this.runs.get(runId);
    if (run) this.deps.events.emit('runs:changed', run);
  }
}

/** What a method needs besides clips, checked before a run is queued: VideoSSL's teacher folder. */
async function checkMethodInputs(settings: TrainSettings): Promise<void> {
  if (settings.method !== 'videossl') return;
  if (settings.teacherDir === null) throw new ApiError('INVALID_PARAMS', TEACHER_NEEDED);
  await checkTeacherFolder(settings.teacherDir);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
