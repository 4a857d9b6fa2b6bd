/**
 * The anomaly training loop: collect tubes from the normal footage, then epoch by epoch shuffle them,
 * build every task's samples from each batch and take one SSMTL step; checkpoint after every epoch and
 * save the model at the end. Reports like classification runs do; cancel stops before the next step.
 */
import path from 'node:path';
import { ApiError } from '../../../../shared/errors.js';
import { selectJobBackend } from '../../../engine/worker/backend/job-backend.js';
import { StepThrottle, STEP_MESSAGE_INTERVAL_MS, yieldToEventLoop } from '../../../engine/worker/step-throttle.js';
import { saveAnomalyModel } from '../model/anomaly-model-io.js';
import { anomalyTrainStep } from '../model/anomaly-train-step.js';
import { buildTaskSamples, disposeTaskSamples, TASK_SAMPLE_DEFAULTS, taskSourceFrames } from '../tasks/task-samples.js';
import { readAnomalyCheckpoint, writeAnomalyCheckpoint } from './anomaly-checkpoint.js';
import { AnomalyEpochAccumulator } from './anomaly-epoch-accumulator.js';
import type { AnomalyEpochMetrics, AnomalyHost, AnomalyRunConfig } from '../../anomaly-train-job.js';
import {
  anomalyCheckpointOf,
  anomalyRunFingerprint,
  createAnomalyTrainingParts,
  disposeAnomalyTrainingParts,
  restoreAnomalyTrainingParts,
  type AnomalyTrainingParts,
} from './anomaly-training-parts.js';
import { keepTeacherWithModel, loadImageTeacher, teacherFeatures, type ImageTeacher } from '../../../teacher/worker/image-teacher.js';
import { collectNormalTubes, normalTubeBatch, type NormalTubes } from './normal-tubes.js';
import { drawTubeAugments } from './tube-augment.js';

export const ANOMALY_MODEL_DIR = 'model';

function checkConfig(config: AnomalyRunConfig): void {
  const s = config.settings;
  const whole = (name: keyof typeof s, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) throw new Error(`Anomaly training: ${name} must be a whole number ≥ ${min}, got ${value}.`);
  };
  whole('epochs', s.epochs, 1);
  whole('batchSize', s.batchSize, 1);
  whole('maxTubes', s.maxTubes, 1);
  whole('windowStride', s.windowStride, 1);
  whole('longSide', s.longSide, 2);
  if (!(s.learningRate > 0 && Number.isFinite(s.learningRate))) throw new Error(`Anomaly training: learningRate must be a number > 0, got ${s.learningRate}.`);
  if (config.normal.length === 0) throw new Error('Anomaly training needs footage marked normal; this run has none.');
}

function isCancellation(error: unknown, host: AnomalyHost): boolean {
  return host.cancelled() && (error instanceof ApiError ? error.code === 'CANCELLED' : true);
}

/** The batches of one epoch: a fresh shuffle cut into full batches (all tubes in one when there are fewer). */
function planEpoch(parts: AnomalyTrainingParts, count: number, batchSize: number): number[][] {
  const order = parts.rng.shuffle(Array.from({ length: count }, (_, i) => i));
  if (count <= batchSize) return [order];
  return Array.from({ length: Math.floor(count / batchSize) }, (_, b) => order.slice(b * batchSize, (b + 1) * batchSize));
}

function stepsPerEpoch(count: number, batchSize: number): number {
  return count <= batchSize ? 1 : Math.floor(count / batchSize);
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
    sourceFrames: taskSourceFrames(s.tasks ?? TASK_SAMPLE_DEFAULTS),
    stride: s.windowStride,
    longSide: s.longSide,
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
  if (tubes.tubes.length === 0) throw new Error('The normal footage is too short for one tube: each needs at least 19 consecutive frames.');
  host.post({
    type: 'anomaly-tubes',
    stats: { kept: tubes.tubes.length, seen: tubes.seen, motionWindows: tubes.windows.motion, gridWindows: tubes.windows.grid },
  });
  return tubes;
}

interface RunContext {
  config: AnomalyRunConfig;
  host: AnomalyHost;
  tubes: NormalTubes;
  teacher: ImageTeacher | null;
  totalSteps: number;
  throttle: StepThrottle;
}

/** Trains one epoch; returns its accumulated results, or null when cancelled part way. */
async function trainEpoch(run: RunContext, parts: AnomalyTrainingParts, epoch: number, firstStep: number): Promise<AnomalyEpochAccumulator | null> {
  const { config, host } = run;
  const s = config.settings;
  const batches = planEpoch(parts, run.tubes.tubes.length, s.batchSize);
  const accumulator = new AnomalyEpochAccumulator();
  let step = firstStep;
  for (const indices of batches) {
    if (host.cancelled()) return null;
    const source = normalTubeBatch(run.tubes, indices, drawTubeAugments(parts.rng, indices.length, run.tubes.size));
    let result;
    try {
      const samples = buildTaskSamples(source, parts.rng, s.tasks ?? TASK_SAMPLE_DEFAULTS);
      const teacherTarget = run.teacher === null ? null : teacherFeatures(run.teacher, samples.middle.target);
      try {
        result = anomalyTrainStep({ model: parts.model, optimizer: parts.optimizer, samples, teacherTarget });
      } finally {
        disposeTaskSamples(samples);
        teacherTarget?.dispose();
      }
    } finally {
      source.dispose();
    }
    step++;
    accumulator.add(result, indices.length);
    if (!Number.isFinite(result.loss)) {
      throw new Error(`Anomaly training diverged at epoch ${epoch}, step ${step}: the loss is ${result.loss}. Try a lower learning rate.`);
    }
    if (run.throttle.ready()) {
      const { loss, middleFrameLoss, arrowLoss, irregularLoss, arrowAccuracy, irregularAccuracy, teacherLoss } = result;
      host.post({
        type: 'anomaly-step',
        metrics: { epoch, step, loss, middleFrameLoss, arrowLoss, irregularLoss, arrowAccuracy, irregularAccuracy, teacherLoss },
      });
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
  return host.cancelled() ? null : accumulator;
}

async function train(config: AnomalyRunConfig, host: AnomalyHost): Promise<void> {
  const teacher = config.settings.teacherDir ? await loadImageTeacher(config.settings.teacherDir) : null;
  try {
    await trainWith(config, host, teacher);
  } finally {
    teacher?.model.dispose();
  }
}

async function trainWith(config: AnomalyRunConfig, host: AnomalyHost, teacher: ImageTeacher | null): Promise<void> {
  const s = config.settings;
  const parts = createAnomalyTrainingParts(s, teacher?.dim ?? 0);
  try {
    const fingerprint = anomalyRunFingerprint(config, teacher?.dim ?? 0);
    let history: AnomalyEpochMetrics[] = [];
    let step = 0;
    if (config.resume) {
      const checkpoint = await readAnomalyCheckpoint(config.runDir);
      if (checkpoint === null) {
        host.post({ type: 'progress', phase: 'train', done: 0, total: 0, message: 'No checkpoint yet: starting from epoch 1.' });
      } else {
        if (checkpoint.state.fingerprint !== fingerprint) {
          throw new Error('The checkpoint was made with other settings (model, tubes or normal footage changed); start a new run instead.');
        }
        await restoreAnomalyTrainingParts(parts, checkpoint);
        history = checkpoint.state.history;
        step = checkpoint.state.step;
      }
    }

    const tubes = await collectTubes(config, host);
    const run: RunContext = { config, host, tubes, teacher, totalSteps: stepsPerEpoch(tubes.tubes.length, s.batchSize) * s.epochs, throttle: new StepThrottle(STEP_MESSAGE_INTERVAL_MS) };
    for (let epoch = history.length + 1; epoch <= s.epochs; epoch++) {
      const accumulator = await trainEpoch(run, parts, epoch, step);
      if (accumulator === null) {
        host.post({ type: 'cancelled', epochs: history.length });
        return;
      }
      step += accumulator.stepCount;
      const metrics = accumulator.finish(epoch, step, s.learningRate);
      history.push(metrics);
      await writeAnomalyCheckpoint(config.runDir, await anomalyCheckpointOf(parts, { runId: config.runId, epoch, step, fingerprint, history }));
      host.post({ type: 'anomaly-epoch', metrics, checkpointed: true });
      if (host.cancelled()) {
        host.post({ type: 'cancelled', epochs: epoch });
        return;
      }
    }
    const modelDir = path.join(config.runDir, ANOMALY_MODEL_DIR);
    await saveAnomalyModel(parts.model, modelDir);
    if (teacher !== null) await keepTeacherWithModel(teacher.dir, modelDir);
    host.post({ type: 'anomaly-done', epochs: history.length, final: history.at(-1) ?? null, modelDir });
  } finally {
    disposeAnomalyTrainingParts(parts);
  }
}

/**
 * Trains the anomaly run described by `config`, reporting through `host`. Ends by posting 'anomaly-done'
 * or 'cancelled'; throws on failure (the worker reports that as 'error').
 */
export async function runAnomalyTraining(config: AnomalyRunConfig, host: AnomalyHost): Promise<void> {
  checkConfig(config);
  const backend = await selectJobBackend(config.backend);
  host.post({ type: 'started', backend });
  try {
    await train(config, host);
  } catch (error) {
    if (!isCancellation(error, host)) throw error;
    const saved = await readAnomalyCheckpoint(config.runDir).catch(() => null);
    host.post({ type: 'cancelled', epochs: saved?.state.epoch ?? 0 });
  }
}
