import fs from 'node:fs/promises';
import { importedRunReason, isTrainedRun, type EpochMetrics, type RunDto, type StepMetrics, type TrainedRunDto } from '../../../shared/run-dto.js';
import { methodInfo, TEACHER_NEEDED, totalEpochsOf, type TrainSettings } from '../../../shared/training.js';
import { describeStop, type RunStop } from '../../../shared/training-budget.js';
import { ApiError } from '../../../shared/errors.js';
import { nowIso } from '../../clock.js';
import type { JobEngine } from '../../engine/job.js';
import { errorText, RunLifecycle } from '../../engine/main/run-lifecycle.js';
import type { EventBus } from '../../events.js';
import type { JobContext, JobManager } from '../../jobs/job-manager.js';
import type { ClipService } from '../../labels/clip-service.js';
import type { MediaTools } from '../../media/media-tools.js';
import { predictJob, trainJob, type PredictConfig, type PredictMessage, type RunConfig, type TrainMessage } from '../jobs.js';
import type { Project } from '../../project/project.js';
import { checkTeacherFolder } from '../../teacher/teacher-folder.js';
import { PredictionRepository } from './prediction-repository.js';
import { RunEvaluationRepository } from './evaluation/run-evaluation-repository.js';
import { clipCacheDir, runDir, runModelDir } from './run-files.js';
import { ACTIVE_RUN_STATES, RunRepository } from './run-repository.js';
import { rememberFlip } from './train-options.js';
import { gatherTrainingDataset } from './training-dataset.js';

export interface TrainingServiceDeps {
  project: Project;
  jobs: JobManager;
  clips: ClipService;
  events: EventBus;
  tools: MediaTools;
  /** What runs the jobs: the engine's worker thread (or the same jobs in this thread, in tests). */
  engine: () => JobEngine;
}

/** Starts, resumes, cancels and records classification runs; every message of the engine is persisted. */
export class TrainingService {
  readonly runs: RunRepository;
  readonly predictions: PredictionRepository;
  readonly evaluations: RunEvaluationRepository;
  private readonly lifecycle: RunLifecycle<RunDto>;

  constructor(private readonly deps: TrainingServiceDeps) {
    this.runs = new RunRepository(deps.project.db);
    this.predictions = new PredictionRepository(deps.project.db);
    this.evaluations = new RunEvaluationRepository(deps.project.db);
    this.lifecycle = new RunLifecycle(this.runs, deps.jobs, (run) => deps.events.emit('runs:changed', run));
  }

  get(id: number): RunDto {
    const run = this.runs.get(id);
    if (!run) throw new ApiError('NOT_FOUND', `There is no training run ${id}.`);
    return run;
  }

  /** A run this app trained; an imported run is refused (CONFLICT) with why it cannot. */
  getTrained(id: number): TrainedRunDto {
    const run = this.get(id);
    if (!isTrainedRun(run)) throw new ApiError('CONFLICT', importedRunReason(run));
    return run;
  }

  /** The newest run with predictions: what commands use when no run is named. */
  latestPredicted(): RunDto {
    const run = this.runs.list().find((r) => r.predictions > 0);
    if (!run) throw new ApiError('NOT_FOUND', 'No run has predictions yet: train a model first.');
    return run;
  }

  /**
   * Starts a run; `lineage.parentRunId` names the run it retrains (a round of the review loop), and
   * `lineage.warmStartRunId` the trained run whose weights it starts from instead of fresh ones.
   */
  async start(settings: TrainSettings, name?: string, lineage: RunLineage = {}): Promise<RunDto> {
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
    let warmStartRunId = lineage.warmStartRunId ?? null;
    if (warmStartRunId !== null) {
      const problem = this.warmStartProblem(warmStartRunId, settings, dataset.classes);
      if (problem !== null && !lineage.warmStartIfFits) throw new ApiError('CONFLICT', problem);
      if (problem !== null) warmStartRunId = null;
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
      parentRunId: lineage.parentRunId ?? null,
      warmStartRunId,
    });
    return this.queueTraining(runId, false);
  }

  /** Why a run with these settings and classes cannot start from run `fromRunId`'s weights (null: it can). */
  warmStartProblem(fromRunId: number, settings: TrainSettings, classes: readonly { id: number }[]): string | null {
    const from = this.getTrained(fromRunId);
    if (!from.hasModel) return `Run ${fromRunId} has no trained model to start from.`;
    const changed = WEIGHT_SHAPE_SETTINGS.filter((key) => from.settings[key] !== settings[key]);
    if (changed.length > 0) return `Run ${fromRunId}'s weights do not fit: its ${changed.join(', ')} differ from this run's.`;
    const sameClasses = from.classes.length === classes.length && from.classes.every((c, i) => c.id === classes[i]?.id);
    if (!sameClasses) return `Run ${fromRunId} learned other classes than there are labelled now, so its weights do not fit.`;
    return null;
  }

  async resume(runId: number): Promise<RunDto> {
    const run = this.getTrained(runId);
    if (!run.resumable) {
      throw new ApiError(
        'CONFLICT',
        run.epochsDone >= totalEpochsOf(run.settings)
          ? `Run ${runId} has already trained all its ${totalEpochsOf(run.settings)} epochs.`
          : run.status === 'succeeded' && run.stop !== null
            ? `Run ${runId} has finished. ${describeStop(run.stop, run.settings)}`
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
    this.lifecycle.cancelJob(runId, run.jobId);
    return this.get(runId);
  }

  async predict(runId: number, mcPasses?: number): Promise<RunDto> {
    const run = this.getTrained(runId);
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
    this.lifecycle.startJob(runId, `Predict with run ${runId}`, async (ctx) => {
      this.lifecycle.update(runId, { status: 'running', error: null });
      try {
        this.predictions.clear(runId);
        const outcome = await this.deps.engine().run(predictJob, config, (m) => this.onMessage(runId, m, ctx), ctx.signal);
        this.lifecycle.finish(runId, { status: previous, error: null });
        if (outcome === 'cancelled') throw new ApiError('CANCELLED', 'Prediction cancelled.');
        return { kind: 'run' as const, runId, epochs: run.epochsDone, predictions: this.predictions.count(runId) };
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'CANCELLED')) {
          this.lifecycle.finish(runId, { status: previous, error: `Prediction failed: ${errorText(error)}` });
        }
        throw error;
      }
    });
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
    const run = this.getTrained(runId);
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
      warmStartDir: this.warmStartDir(runId),
    };
    if (resume) this.runs.dropMetricsAfter(runId, run.epochsDone);
    this.runs.setStop(runId, null);
    this.lifecycle.queue(runId, `${resume ? 'Resume' : 'Train'} ${run.settings.method} (run ${runId})`, (ctx) => this.train(config, ctx));
    return this.get(runId);
  }

  /** The model folder a run starts from (null: fresh weights); a resumed run with a checkpoint uses that instead. */
  private warmStartDir(runId: number): string | null {
    const from = this.runs.lineage(runId)?.warmStartRunId ?? null;
    if (from === null) return null;
    if (!this.runs.get(from)?.hasModel) {
      throw new ApiError('CONFLICT', `Run ${runId} starts from run ${from}'s weights, and run ${from} has no model any more.`);
    }
    return runModelDir(this.deps.project, from);
  }

  private train(config: RunConfig, ctx: JobContext) {
    const { runId } = config;
    return this.lifecycle.train(
      runId,
      'Training',
      async () => {
        this.predictions.clear(runId);
        const outcome = await this.deps.engine().run(trainJob, config, (m) => this.onMessage(runId, m, ctx), ctx.signal);
        if (outcome === 'cancelled') this.runs.setStop(runId, cancelledAt(this.get(runId).epochsDone));
        // The final model has predicted every clip: its validation clips' predictions are the evaluation.
        if (outcome === 'done') this.evaluations.record(runId, config.classes, config.validation);
        return outcome;
      },
      () => {
        const run = this.get(runId);
        return { kind: 'run' as const, runId, epochs: run.epochsDone, predictions: run.predictions };
      },
    );
  }

  private onMessage(runId: number, message: TrainMessage | PredictMessage, ctx: JobContext): void {
    const recorded = this.lifecycle.record(runId, message, ctx, {
      step: (step: StepMetrics) => {
        this.runs.addStep(runId, step);
        this.deps.events.emit('run:step', { runId, ...step });
      },
      epoch: (metrics: EpochMetrics) => {
        this.runs.addEpoch(runId, metrics);
        this.deps.events.emit('run:epoch', { runId, ...metrics });
      },
    });
    // The engine's promise carries how the job ended; predictions are this service's own.
    if (!recorded && message.type === 'stop') this.runs.setStop(runId, message.stop);
    if (!recorded && message.type === 'predictions') this.predictions.save(runId, this.get(runId).classes, message.rows);
  }
}

function cancelledAt(epoch: number): RunStop {
  return { reason: 'cancelled', epoch, metric: null, bestEpoch: null, best: null, patience: null, weights: 'last' };
}

/** Where a run sits in the review loop (both absent: a run started from scratch). */
export interface RunLineage {
  parentRunId?: number;
  warmStartRunId?: number;
  /** Start from fresh weights when the warm start's weights do not fit (instead of refusing). */
  warmStartIfFits?: boolean;
}

/** The settings that fix the weights' shapes: a run starts from another's weights only when they agree. */
const WEIGHT_SHAPE_SETTINGS = ['architecture', 'width', 'depth', 'frames', 'size'] as const satisfies readonly (keyof TrainSettings)[];

/** What a method needs besides clips, checked before a run is queued: the teacher folder of a method that distils one (VideoSSL). */
async function checkMethodInputs(settings: TrainSettings): Promise<void> {
  if (!methodInfo[settings.method].teacher) return;
  if (settings.teacherDir === null) throw new ApiError('INVALID_PARAMS', TEACHER_NEEDED);
  await checkTeacherFolder(settings.teacherDir);
}
