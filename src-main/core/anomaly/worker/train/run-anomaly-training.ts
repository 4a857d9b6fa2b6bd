/**
 * The anomaly training job: collect tubes from the normal footage, then epoch by epoch shuffle them,
 * build every task's samples from each batch and take one SSMTL step; the engine's epoch loop resumes,
 * checkpoints every epoch, stops at a cancel and saves the model at the end.
 */
import os from 'node:os';
import path from 'node:path';
import type { BackendChoice } from '../../../engine/backend-choice.js';
import type { JobHost } from '../../../engine/job.js';
import { EpochAccumulator } from '../../../engine/worker/epoch-accumulator.js';
import { runEpochs, startPoint, type TrainedEpoch } from '../../../engine/worker/epoch-loop.js';
import { MODEL_DIR } from '../../../engine/model-files.js';
import { StepThrottle, STEP_MESSAGE_INTERVAL_MS, yieldToEventLoop } from '../../../engine/worker/step-throttle.js';
import { runTrainingJob } from '../../../engine/worker/training-job.js';
import { keepTeacherWithModel, loadImageTeacher, teacherFeatures, type ImageTeacher } from '../../../teacher/worker/image-teacher.js';
import type { AnomalyEpochMetrics, AnomalyRunConfig, AnomalyStepMetrics, AnomalyTrainMessage } from '../../jobs.js';
import { saveAnomalyModel } from '../model/anomaly-model-io.js';
import type { AnomalyTrainStepResult } from '../model/anomaly-train-step.js';
import { AnomalyGradientWorkers } from '../parallel/anomaly-gradient-workers.js';
import { anomalyShardedStep } from '../parallel/anomaly-sharded-step.js';
import { anomalyStepThreads } from '../parallel/anomaly-step-threads.js';
import { buildTaskSamples, disposeTaskSamples, TASK_SAMPLE_DEFAULTS, taskSourceFrames } from '../tasks/task-samples.js';
import { anomalyCheckpoint } from './anomaly-checkpoint.js';
import {
  anomalyCheckpointOf,
  anomalyRunFingerprint,
  anomalySpecFromSettings,
  createAnomalyTrainingParts,
  disposeAnomalyTrainingParts,
  restoreAnomalyTrainingParts,
  type AnomalyTrainingParts,
} from './anomaly-training-parts.js';
import { collectNormalTubes, normalTubeBatch, type NormalTubes } from './normal-tubes.js';
import { drawTubeAugments } from './tube-augment.js';
import { shuffledTubeBatches, tubeStepsPerEpoch } from './tube-batches.js';

type AnomalyHost = JobHost<AnomalyTrainMessage>;

/** The step values an epoch averages (weighted by tubes per step). */
const STEP_KEYS = ['loss', 'middleFrameLoss', 'arrowLoss', 'irregularLoss', 'arrowAccuracy', 'irregularAccuracy', 'teacherLoss'] as const;

function checkConfig(config: AnomalyRunConfig): void {
  const s = config.settings;
  const whole = (name: keyof typeof s, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) throw new Error(`Anomaly training: ${name} must be a whole number ≥ ${min}, got ${value}.`);
  };
  whole('epochs', s.epochs, 1);
  whole('batchSize', s.batchSize, 1);
  whole('maxTubes', s.maxTubes, 1);
  if (s.windowStride !== null) whole('windowStride', s.windowStride, 1);
  if (!(s.windowStrideSeconds > 0)) throw new Error(`Anomaly training: windowStrideSeconds must be a number > 0, got ${s.windowStrideSeconds}.`);
  if (!(s.sampleFps >= 0)) throw new Error(`Anomaly training: sampleFps must be a number ≥ 0, got ${s.sampleFps}.`);
  whole('longSide', s.longSide, 2);
  if (!(s.learningRate > 0 && Number.isFinite(s.learningRate))) throw new Error(`Anomaly training: learningRate must be a number > 0, got ${s.learningRate}.`);
  if (config.normal.length === 0) throw new Error('Anomaly training needs footage marked normal; this run has none.');
}

async function collectTubes(config: AnomalyRunConfig, host: AnomalyHost): Promise<NormalTubes> {
  const s = config.settings;
  const throttle = new StepThrottle(STEP_MESSAGE_INTERVAL_MS);
  const tubes = await collectNormalTubes(config.normal, {
    size: s.size,
    channels: s.channels,
    maxTubes: s.maxTubes,
    // Its own stream of draws: the run's generator is for shuffles and samples, and is checkpointed.
    seed: s.seed + 1,
    sourceFrames: taskSourceFrames(TASK_SAMPLE_DEFAULTS),
    sampleFps: s.sampleFps,
    strideSeconds: s.windowStrideSeconds,
    ...(s.windowStride !== null ? { stride: s.windowStride } : {}),
    longSide: s.longSide,
    ...(s.followObjects === false ? { regions: { follow: false } } : {}),
    tools: config.tools,
    signal: host.signal,
    onProgress: (p) => {
      if (!throttle.ready()) return;
      host.post({
        type: 'progress',
        phase: 'decode',
        done: p.frames,
        total: p.expectedFrames ?? 0,
        message: `Reading normal footage ${p.interval + 1} of ${p.intervals}: frame ${p.frames}, ${p.tubesKept} tubes kept of ${p.tubesSeen}`,
      });
    },
  });
  if (tubes.tubes.length === 0) {
    const span = s.sampleFps > 0 ? ` (${tubes.frames} frames sampled at ~${s.sampleFps} fps: about ${(tubes.frames / s.sampleFps).toFixed(1)} s of video)` : '';
    throw new Error(`The normal footage is too short for one tube: each needs at least ${tubes.frames} consecutive sampled frames${span}.`);
  }
  host.post({ type: 'tubes', stats: { kept: tubes.tubes.length, seen: tubes.seen, motionWindows: tubes.windows.motion, gridWindows: tubes.windows.grid } });
  return tubes;
}

interface RunContext {
  config: AnomalyRunConfig;
  host: AnomalyHost;
  parts: AnomalyTrainingParts;
  tubes: NormalTubes;
  teacher: ImageTeacher | null;
  totalSteps: number;
  throttle: StepThrottle;
  /** The step's gradient threads (null: one thread) and the parts it is split into. */
  workers: AnomalyGradientWorkers | null;
  shards: number;
}

/** One SSMTL step on the tubes `indices`, each varied by its own draw of mirroring, shift and brightness. */
async function trainOnTubes(run: RunContext, indices: readonly number[]): Promise<AnomalyTrainStepResult> {
  const { parts } = run;
  const source = normalTubeBatch(run.tubes, indices, drawTubeAugments(parts.rng, indices.length, run.tubes.size));
  try {
    const samples = buildTaskSamples(source, parts.rng, TASK_SAMPLE_DEFAULTS);
    const teacherTarget = run.teacher === null ? null : teacherFeatures(run.teacher, samples.middle.target);
    try {
      return await anomalyShardedStep({ model: parts.model, optimizer: parts.optimizer, samples, teacherTarget, workers: run.workers, shards: run.shards });
    } finally {
      disposeTaskSamples(samples);
      teacherTarget?.dispose();
    }
  } finally {
    source.dispose();
  }
}

/** Trains one epoch over a fresh shuffle of the tubes; null when cancelled part way. */
async function trainEpoch(run: RunContext, epoch: number, firstStep: number): Promise<TrainedEpoch<AnomalyEpochMetrics> | null> {
  const { config, host } = run;
  const s = config.settings;
  const batches = shuffledTubeBatches(run.parts.rng, run.tubes.tubes.length, s.batchSize);
  const accumulator = new EpochAccumulator(STEP_KEYS);
  let step = firstStep;
  for (const indices of batches) {
    if (host.cancelled()) return null;
    const result = await trainOnTubes(run, indices);
    step++;
    accumulator.add(result, indices.length, indices.length);
    if (!Number.isFinite(result.loss)) {
      throw new Error(`Anomaly training diverged at epoch ${epoch}, step ${step}: the loss is ${result.loss}. Try a lower learning rate.`);
    }
    if (run.throttle.ready()) {
      const { loss, middleFrameLoss, arrowLoss, irregularLoss, arrowAccuracy, irregularAccuracy, teacherLoss } = result;
      host.post({ type: 'step', metrics: { epoch, step, loss, middleFrameLoss, arrowLoss, irregularLoss, arrowAccuracy, irregularAccuracy, teacherLoss } });
      host.post({
        type: 'progress',
        phase: 'train',
        done: step,
        total: run.totalSteps,
        message: `Epoch ${epoch} of ${s.epochs}, step ${accumulator.stepCount} of ${batches.length}`,
      });
    }
    await yieldToEventLoop();
  }
  if (host.cancelled()) return null;
  const { seconds, itemsPerSecond } = accumulator.timing();
  const mean = (key: Exclude<(typeof STEP_KEYS)[number], 'teacherLoss'>) => accumulator.mean(key);
  return {
    steps: accumulator.stepCount,
    metrics: {
      epoch,
      step,
      loss: mean('loss'),
      middleFrameLoss: mean('middleFrameLoss'),
      arrowLoss: mean('arrowLoss'),
      irregularLoss: mean('irregularLoss'),
      arrowAccuracy: mean('arrowAccuracy'),
      irregularAccuracy: mean('irregularAccuracy'),
      teacherLoss: accumulator.optionalMean('teacherLoss'),
      learningRate: s.learningRate,
      tubes: batches.reduce((n, b) => n + b.length, 0),
      tubesPerSecond: itemsPerSecond,
      seconds,
    },
  };
}

async function train(config: AnomalyRunConfig, host: AnomalyHost, teacher: ImageTeacher | null, backend: BackendChoice): Promise<void> {
  const s = config.settings;
  const parts = createAnomalyTrainingParts(s, teacher?.dim ?? 0);
  const split = anomalyStepThreads(s, backend.name, os.availableParallelism());
  let workers: AnomalyGradientWorkers | null = null;
  let freed = false;
  // Freed before 'done' is posted: a CLI exits on 'done', and tearing the backend down (Dawn) while this
  // thread still disposes tensors aborts the process.
  const free = async (): Promise<void> => {
    if (freed) return;
    freed = true;
    await workers?.close();
    disposeAnomalyTrainingParts(parts);
  };
  try {
    if (split.shards > 1) workers = await AnomalyGradientWorkers.start(split.shards - 1, { spec: anomalySpecFromSettings(s, teacher?.dim ?? 0), backend: backend.name });
    const fingerprint = anomalyRunFingerprint(config, teacher?.dim ?? 0);
    const start = await startPoint({
      resume: config.resume,
      fingerprint,
      read: () => anomalyCheckpoint.read(config.runDir),
      restore: (checkpoint) => restoreAnomalyTrainingParts(parts, checkpoint),
      mismatch: 'The checkpoint was made with other settings (model, tubes or normal footage changed); start a new run instead.',
      host,
    });
    const tubes = await collectTubes(config, host);
    const totalSteps = tubeStepsPerEpoch(tubes.tubes.length, s.batchSize) * s.epochs;
    const run: RunContext = { config, host, parts, tubes, teacher, totalSteps, throttle: new StepThrottle(STEP_MESSAGE_INTERVAL_MS), workers, shards: split.shards };
    await runEpochs<AnomalyStepMetrics, AnomalyEpochMetrics>({
      host,
      totalEpochs: s.epochs,
      start,
      trainEpoch: (epoch, firstStep) => trainEpoch(run, epoch, firstStep),
      checkpoint: async ({ epoch, step, history }) =>
        anomalyCheckpoint.write(config.runDir, await anomalyCheckpointOf(parts, { runId: config.runId, epoch, step, fingerprint, history })),
      finish: async () => {
        const modelDir = path.join(config.runDir, MODEL_DIR);
        await saveAnomalyModel(parts.model, modelDir);
        if (teacher !== null) await keepTeacherWithModel(teacher.dir, modelDir);
        await free();
        return true;
      },
    });
  } finally {
    await free();
  }
}

/**
 * Trains the anomaly run described by `config`, reporting through `host`. Ends by posting 'done' or
 * 'cancelled'; throws on failure (the worker reports that as 'error').
 */
export async function runAnomalyTraining(config: AnomalyRunConfig, host: AnomalyHost): Promise<void> {
  checkConfig(config);
  await runTrainingJob({
    config,
    host,
    describe: (backend) => {
      const { shards } = anomalyStepThreads(config.settings, backend.name, os.availableParallelism());
      return shards > 1 ? { ...backend, reason: `${backend.reason}; each step split across ${shards} CPU threads` } : backend;
    },
    train: async (backend) => {
      const teacher = config.settings.teacherDir ? await loadImageTeacher(config.settings.teacherDir) : null;
      try {
        await train(config, host, teacher, backend);
      } finally {
        teacher?.model.dispose();
      }
    },
    savedEpochs: async () => (await anomalyCheckpoint.readState(config.runDir))?.epoch ?? 0,
  });
}
