/**
 * The training loop every method shares: decode, train epoch by epoch (B labelled + μB unlabelled clips
 * per step), validate with the EMA weights, checkpoint, and at the end save the EMA model and predict.
 */
import os from 'node:os';
import path from 'node:path';
import { methodInfo, totalEpochsOf } from '../../../shared/training.js';
import { ApiError } from '../../../shared/errors.js';
import { ClipCache } from '../data/clip-cache.js';
import type { ClipSpec } from '../data/clip-spec.js';
import { cosineLearningRate } from '../methods/learning-rate.js';
import type { TrainStepResult } from '../methods/train-step.js';
import { saveModel } from '../models/model-io.js';
import { decodablePredictionClips, predictClips } from '../predict/predict-clips.js';
import { GradientWorkers } from '../parallel/gradient-workers.js';
import { shardedTrainStep } from '../parallel/sharded-step.js';
import { shardsPerStep, trainingThreads } from '../parallel/shard-plan.js';
import { Rng } from '../random.js';
import { ViewCache } from '../views/view-cache.js';
import type { BackendChoice } from '../backend/backend-choice.js';
import type { EpochMetrics, RunConfig } from '../worker/messages.js';
import { selectJobBackend } from '../worker/job-backend.js';
import type { WorkerHost } from '../worker/worker-host.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint-file.js';
import { readClips, type ClipReader } from './clip-reader.js';
import { decodeClips, describeFailures } from './decode-clips.js';
import { EpochAccumulator } from './epoch-accumulator.js';
import { roundOfEpoch, selectedIndices, selectForRound, targetsFor } from './ups-round.js';
import { MultiViewReader } from './multi-view.js';
import { planEpoch, stepsPerEpoch, type EpochShape, type StepClips } from './epoch-plan.js';
import { evaluate } from './evaluate.js';
import { readAhead } from './read-ahead.js';
import { StepThrottle, STEP_MESSAGE_INTERVAL_MS, yieldToEventLoop } from './step-throttle.js';
import { clipSpecOf, type StepBytes } from './step-tensors.js';
import {
  checkpointOf,
  createTrainingParts,
  disposeTrainingParts,
  restoreTrainingParts,
  runFingerprint,
  type TrainingParts,
} from './training-parts.js';
import { UnlabelledPool } from './unlabelled-pool.js';

export const MODEL_DIR = 'model';
const EVAL_BATCH = 32;

function checkConfig(config: RunConfig): void {
  const classes = config.classes.length;
  if (classes < 2) throw new Error(`Training needs at least 2 classes; this run has ${classes}.`);
  if (config.train.length === 0) throw new Error('Training needs labelled clips; this run has none in its training split.');
  for (const item of [...config.train, ...config.validation]) {
    if (!Number.isInteger(item.classIndex) || item.classIndex < 0 || item.classIndex >= classes) {
      throw new Error(`Labelled clip ${item.clip.clipId} has class index ${item.classIndex}, outside 0..${classes - 1}.`);
    }
  }
}

function isCancellation(error: unknown, host: WorkerHost): boolean {
  return host.cancelled() && (error instanceof ApiError ? error.code === 'CANCELLED' : true);
}

interface StepBatch extends StepBytes {
  unlabelledIndices: number[];
}

/** Everything one run works with, fixed for the run. */
interface RunContext {
  config: RunConfig;
  host: WorkerHost;
  spec: ClipSpec;
  cache: ClipCache;
  /** Where steps read their clips: the cache, or every view of each clip for mvpl. */
  reader: ClipReader;
  pool: UnlabelledPool | null;
  /** What one epoch's plan is drawn from (supervised-only: as many steps as with unlabelled clips). */
  shape: EpochShape;
  stepsPerEpoch: number;
  /** Epochs in all: settings.epochs, times the rounds for UPS. */
  totalEpochs: number;
  totalSteps: number;
  /** Steps the learning-rate schedule spans: the whole run, or one UPS round (each starts from fresh weights). */
  stepsPerSchedule: number;
  throttle: StepThrottle;
  /** The threads each step is split across besides this one (null: none). */
  workers: GradientWorkers | null;
}

/** What an epoch draws its unlabelled clips from: all of them, or UPS's selected ones (null: all). */
interface EpochPool {
  shape: EpochShape;
  selected: number[] | null;
}

function epochPool(run: RunContext, parts: TrainingParts): EpochPool {
  if (parts.ups === null) return { shape: run.shape, selected: null };
  const selected = selectedIndices(parts.ups);
  return { shape: { ...run.shape, unlabelled: selected.length }, selected };
}

async function readStepBatch(run: RunContext, parts: TrainingParts, pool: EpochPool, clips: StepClips): Promise<StepBatch> {
  const items = clips.labelled.map((i) => run.config.train[i]).filter((c) => c !== undefined);
  const wanted = pool.selected === null ? clips.unlabelled : clips.unlabelled.map((i) => pool.selected?.[i] ?? i);
  const [labelled, unlabelled] = await Promise.all([
    readClips(run.reader, items.map((c) => c.clip)),
    run.pool === null || wanted.length === 0 ? Promise.resolve({ bytes: [], indices: [] }) : run.pool.read(wanted),
  ]);
  return {
    labelled,
    labels: items.map((c) => c.classIndex),
    unlabelled: unlabelled.bytes,
    unlabelledIndices: unlabelled.indices,
    unlabelledTargets: parts.ups === null ? null : targetsFor(parts.ups, unlabelled.indices),
  };
}

/** Step k (0-based, about to run) as the learning-rate schedule of its UPS round (or of the whole run) sees it. */
function scheduleStep(run: RunContext, step: number): { step: number; totalSteps: number } {
  return { step: step % run.stepsPerSchedule, totalSteps: run.stepsPerSchedule };
}

/** The schedule's position after `done` steps, within the round they belong to (so a round's end reads as its end, not the next round's start). */
function scheduleAfter(run: RunContext, done: number): number {
  return done === 0 ? 0 : done - Math.floor((done - 1) / run.stepsPerSchedule) * run.stepsPerSchedule;
}

/** One step; the model, optimizer, FlexMatch thresholds and EMA keep the result. */
function trainOnBatch(run: RunContext, parts: TrainingParts, batch: StepBatch, step: number): Promise<TrainStepResult> {
  return shardedTrainStep({
    model: parts.model,
    optimizer: parts.optimizer,
    settings: run.config.settings,
    batch,
    ...scheduleStep(run, step),
    flex: parts.flex,
    ema: parts.ema,
    rng: parts.rng,
    workers: run.workers,
  });
}

function roundLabel(run: RunContext, epoch: number): string {
  const s = run.config.settings;
  return s.method === 'ups' ? `UPS round ${roundOfEpoch(epoch, s.epochs) + 1} of ${s.upsRounds}: ` : '';
}

function reportSkipped(run: RunContext): void {
  const failed = run.pool?.takeNewFailures() ?? [];
  if (failed.length > 0) {
    run.host.post({ type: 'progress', phase: 'decode', done: 0, total: 0, message: `Skipping: ${describeFailures(failed, 'unlabelled')}` });
  }
}

/** Trains one epoch; returns its accumulated results, or null when cancelled part way. */
async function trainEpoch(run: RunContext, parts: TrainingParts, epoch: number, firstStep: number): Promise<EpochAccumulator | null> {
  const { host } = run;
  const pool = epochPool(run, parts);
  const plan = planEpoch(parts.rng, pool.shape);
  const accumulator = new EpochAccumulator();
  let step = firstStep;
  for await (const batch of readAhead(plan.length, (i) => readStepBatch(run, parts, pool, plan[i] ?? { labelled: [], unlabelled: [] }))) {
    if (host.cancelled()) return null;
    const result = await trainOnBatch(run, parts, batch, step);
    step++;
    accumulator.add(result, batch.labelled.length + batch.unlabelled.length);
    if (run.throttle.ready()) {
      host.post({ type: 'step', epoch, step, loss: result.loss, maskRate: result.maskRate });
      host.post({
        type: 'progress',
        phase: 'train',
        done: step,
        total: run.totalSteps,
        message: `${roundLabel(run, epoch)}Epoch ${epoch} of ${run.totalEpochs}, step ${accumulator.stepCount} of ${plan.length}`,
      });
      reportSkipped(run);
    }
    if (!Number.isFinite(result.loss)) {
      throw new Error(`Training diverged at epoch ${epoch}, step ${step}: the loss is ${result.loss}. Try a lower learning rate.`);
    }
    await yieldToEventLoop();
  }
  if (host.cancelled()) return null;
  accumulator.endTraining();
  return accumulator;
}

async function finishEpoch(run: RunContext, parts: TrainingParts, epoch: number, step: number, accumulator: EpochAccumulator): Promise<EpochMetrics> {
  const { config } = run;
  const validation = await parts.ema.withEma(parts.model, () => evaluate(parts.model, config.validation, run.cache, run.spec, EVAL_BATCH));
  return accumulator.finish({
    epoch,
    step,
    lr: cosineLearningRate(config.settings.learningRate, scheduleAfter(run, step), run.stepsPerSchedule),
    validationAccuracy: validation?.accuracy ?? null,
    validationLoss: validation?.loss ?? null,
    classThresholds: parts.flex?.classThresholds() ?? null,
  });
}

/** Saves the EMA model to runDir/model and predicts config.predict with it; false when cancelled. */
async function saveAndPredict(run: RunContext, parts: TrainingParts): Promise<boolean> {
  const { config, host } = run;
  return parts.ema.withEma(parts.model, async () => {
    await saveModel(parts.model, path.join(config.runDir, MODEL_DIR));
    if (config.predict.length === 0) return true;
    const clips = await decodablePredictionClips(run.cache, config.predict, host);
    const rng = new Rng(config.settings.seed + 1);
    return predictClips(parts.model, clips, run.cache, { spec: run.spec, mcPasses: config.settings.mcPasses, rng }, host);
  });
}

/** What the run computes on: the backend, and how many threads split each step. */
interface Compute {
  backend: BackendChoice;
  shards: number;
}

function computeFor(config: RunConfig, backend: BackendChoice): Compute {
  const threads = trainingThreads(config.settings.threads, backend.name, os.availableParallelism());
  return { backend, shards: shardsPerStep(config.settings, threads) };
}

/** The backend as the run records it, with how many threads share each step when more than one. */
function describedBackend({ backend, shards }: Compute): BackendChoice {
  if (shards <= 1) return backend;
  return { ...backend, reason: `${backend.reason}; each step is split across ${shards} threads (one core each)` };
}

async function train(config: RunConfig, host: WorkerHost, background: AbortController, compute: Compute): Promise<void> {
  const settings = config.settings;
  const spec: ClipSpec = clipSpecOf(settings);
  const cache = new ClipCache(config.clipCacheDir, spec, config.tools);
  const usesUnlabelled = methodInfo[settings.method].usesUnlabelled && config.unlabelled.length > 0;
  if (methodInfo[settings.method].usesUnlabelled && !usesUnlabelled) {
    throw new Error(`${methodInfo[settings.method].title} learns from unlabelled clips, and this run has none.`);
  }

  const labelledFailures = await decodeClips(cache, [...config.train, ...config.validation].map((c) => c.clip), 'labelled', host);
  if (labelledFailures.length > 0) throw new Error(`${describeFailures(labelledFailures, 'labelled')}. Fix or relabel them, then train again.`);

  // Unlabelled clips decode behind the training steps; a step that needs one not decoded yet waits for it.
  const reader: ClipReader = settings.method === 'mvpl' ? new MultiViewReader(cache, new ViewCache(cache)) : cache;
  const pool = usesUnlabelled ? new UnlabelledPool(config.unlabelled, reader) : null;
  if (pool !== null) {
    cache
      .ensure(config.unlabelled, { signal: background.signal, background: true })
      .then((result) => pool.addFailures(result.failed))
      .catch(() => undefined); // cancelled with the run; a clip that fails is also reported by its read
  }

  const shape: EpochShape = {
    labelled: config.train.length,
    unlabelled: pool?.size ?? 0,
    epochUnlabelled: config.unlabelled.length,
    batchSize: settings.batchSize,
    mu: settings.mu,
  };
  const perEpoch = stepsPerEpoch(shape);
  const totalEpochs = totalEpochsOf(settings);
  const run: RunContext = {
    config,
    host,
    spec,
    cache,
    reader,
    pool,
    shape,
    stepsPerEpoch: perEpoch,
    totalEpochs,
    totalSteps: perEpoch * totalEpochs,
    stepsPerSchedule: perEpoch * settings.epochs,
    throttle: new StepThrottle(STEP_MESSAGE_INTERVAL_MS),
    workers: null,
  };

  let parts = createTrainingParts(config, pool?.size ?? 0);
  try {
    if (compute.shards > 1) {
      run.workers = await GradientWorkers.start(compute.shards - 1, { settings, classes: config.classes.length, backend: compute.backend.name });
    }
    const fingerprint = runFingerprint(config);
    let history: EpochMetrics[] = [];
    let step = 0;
    if (config.resume) {
      const checkpoint = await readCheckpoint(config.runDir);
      if (checkpoint === null) {
        host.post({ type: 'progress', phase: 'train', done: 0, total: run.totalSteps, message: 'No checkpoint yet: starting from epoch 1.' });
      } else {
        if (checkpoint.state.fingerprint !== fingerprint) {
          throw new Error('The checkpoint was made with other settings (model, input or classes changed); start a new run instead.');
        }
        await restoreTrainingParts(parts, checkpoint);
        history = checkpoint.state.history;
        step = checkpoint.state.step;
      }
    }

    for (let epoch = history.length + 1; epoch <= totalEpochs; epoch++) {
      const round = settings.method === 'ups' ? roundOfEpoch(epoch, settings.epochs) : 0;
      if (parts.ups !== null && round > parts.ups.round) {
        const current = parts;
        const selection = await current.ema.withEma(current.model, () => selectForRound(current.model, run, round));
        if (selection === null) {
          host.post({ type: 'cancelled', epochs: history.length });
          return;
        }
        disposeTrainingParts(current);
        parts = createTrainingParts(config, pool?.size ?? 0, round);
        parts.ups = selection;
      }
      const accumulator = await trainEpoch(run, parts, epoch, step);
      if (accumulator === null) {
        host.post({ type: 'cancelled', epochs: history.length });
        return;
      }
      step += accumulator.stepCount;
      const metrics = await finishEpoch(run, parts, epoch, step, accumulator);
      history.push(metrics);
      const checkpoint = await checkpointOf(parts, { runId: config.runId, epoch, step, fingerprint, history });
      await writeCheckpoint(config.runDir, checkpoint);
      host.post({ type: 'epoch', metrics, checkpointed: true });
      reportSkipped(run);
      if (host.cancelled()) {
        host.post({ type: 'cancelled', epochs: epoch });
        return;
      }
    }
    background.abort();
    if (!(await saveAndPredict(run, parts))) {
      host.post({ type: 'cancelled', epochs: history.length });
      return;
    }
    host.post({ type: 'done', epochs: history.length, final: history.at(-1) ?? null });
  } finally {
    await run.workers?.close();
    disposeTrainingParts(parts);
  }
}

/**
 * Trains the run described by `config`, reporting through `host`. Ends by posting 'done' or
 * 'cancelled'; throws on failure (the worker reports that as 'error').
 */
export async function runTraining(config: RunConfig, host: WorkerHost): Promise<void> {
  checkConfig(config);
  const compute = computeFor(config, await selectJobBackend(config.backend));
  host.post({ type: 'started', backend: describedBackend(compute) });
  const background = new AbortController();
  const stopBackground = (): void => background.abort();
  host.signal.addEventListener('abort', stopBackground, { once: true });
  try {
    await train(config, host, background, compute);
  } catch (error) {
    if (!isCancellation(error, host)) throw error;
    const saved = await readCheckpoint(config.runDir).catch(() => null);
    host.post({ type: 'cancelled', epochs: saved?.state.epoch ?? 0 });
  } finally {
    host.signal.removeEventListener('abort', stopBackground);
    background.abort();
  }
}
