/**
 * The training loop every method shares: decode, train epoch by epoch (B labelled + μB unlabelled clips
 * per step), validate with the EMA weights, checkpoint, and at the end save the EMA model and predict.
 * With `pretrainEpochs` the first epochs are self-supervised pretraining on all the clips (labels unused);
 * the method's epochs then start from those weights with a fresh optimizer and EMA. Until it stops improving
 * (the default budget), the run ends once the watched metric has not improved for `patience` epochs and
 * saves the EMA weights of its best epoch (shared/training-budget.ts).
 */
import os from 'node:os';
import type * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { methodEpochsOf, methodInfo, roundsOf, TEACHER_NEEDED, totalEpochsOf } from '../../../../shared/training.js';
import { plateauAfter, stopOf, stopsOnPlateau, watchedMetricOf, type WatchedMetric } from '../../../../shared/training-budget.js';
import type { MethodModule } from '../methods/method-module.js';
import { methodModule } from '../methods/registry.js';
import { loadImageTeacher, type ImageTeacher } from '../../../teacher/worker/image-teacher.js';
import { classifierOf, headsFor, type ExtraHeads } from '../models/extra-heads.js';
import { ClipCache } from '../../clips/clip-cache.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { cosineLearningRate } from '../methods/learning-rate.js';
import type { TrainStepResult } from '../methods/train-step.js';
import { loadModel, saveModel } from '../../../engine/worker/model-io.js';
import { decodablePredictionClips, predictClips } from '../predict/predict-clips.js';
import { GradientWorkers } from '../parallel/gradient-workers.js';
import { shardedTrainStep } from '../parallel/sharded-step.js';
import { shardsPerStep, stepShape, trainingThreads } from '../parallel/shard-plan.js';
import { describeMicroBatches, planMicroBatches, stepBudget, type MicroBatchPlan } from '../parallel/step-memory.js';
import { measureRunRowCost } from '../parallel/step-memory-probe.js';
import { Rng } from '../../../engine/random.js';
import { ViewCache } from '../../views/view-cache.js';
import type { BackendChoice } from '../../../engine/backend-choice.js';
import type { EpochMetrics, RunConfig, StepMetrics, TrainHost } from '../../jobs.js';
import { EpochAccumulator } from '../../../engine/worker/epoch-accumulator.js';
import { runEpochs, startPoint, type TrainedEpoch } from '../../../engine/worker/epoch-loop.js';
import { runTrainingJob } from '../../../engine/worker/training-job.js';
import { MODEL_DIR } from '../../../engine/model-files.js';
import { classifierCheckpoint } from './checkpoint-file.js';
import { bestEpochSaved, saveBestWeights, BEST_MODEL_DIR } from './best-weights.js';
import { readClips, type ClipReader } from './clip-reader.js';
import { decodeClips, describeFailures, type DecodeFailure } from './decode-clips.js';
import { restorePretrained, savePretrained } from './pretrained-weights.js';
import { svtTeacherStep } from './svt-teacher.js';
import { svtTeacherMomentum } from '../methods/svt-loss.js';
import { roundOfEpoch, selectedIndices, selectForRound, targetsFor } from './ups-round.js';
import { MultiViewReader } from './multi-view.js';
import { planEpoch, stepsPerEpoch, type EpochShape, type StepClips } from './epoch-plan.js';
import { evaluate } from './evaluate.js';
import { readAhead } from '../../../engine/worker/read-ahead.js';
import { StepThrottle, STEP_MESSAGE_INTERVAL_MS, yieldToEventLoop } from '../../../engine/worker/step-throttle.js';
import { clipSpecOf, type StepBytes, type TrainingStage } from './step-tensors.js';
import { stepTeacherTargets } from './teacher-targets.js';
import {
  checkpointOf,
  createTrainingParts,
  disposeTrainingParts,
  restartFromCurrentWeights,
  restoreTrainingParts,
  runFingerprint,
  type TrainingParts,
} from './training-parts.js';
import { UnlabelledPool } from './unlabelled-pool.js';
import { warmStartFrom } from './warm-start.js';

const EVAL_BATCH = 32;
/** The step values an epoch averages (every step has the same batch sizes, so each counts once). */
const STEP_KEYS = ['loss', 'supervisedLoss', 'unsupervisedLoss', 'maskRate', 'trainAccuracy'] as const;

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

interface StepBatch extends StepBytes {
  unlabelledIndices: number[];
}

/** Everything one run works with, fixed for the run. */
interface RunContext {
  config: RunConfig;
  host: TrainHost;
  spec: ClipSpec;
  cache: ClipCache;
  /** Where steps read their clips: the cache, or every view of each clip for mvpl. */
  reader: ClipReader;
  pool: UnlabelledPool | null;
  /** What one epoch's plan is drawn from (supervised-only: as many steps as with unlabelled clips). */
  shape: EpochShape;
  /** Pretraining epochs draw from every clip, supervised-only runs too. */
  pretrainShape: EpochShape;
  stepsPerEpoch: number;
  /** Epochs in all: pretraining, then settings.epochs (times the rounds for UPS). */
  totalEpochs: number;
  totalSteps: number;
  /** Steps of self-supervised pretraining before the method's (0: none); its schedule spans them. */
  pretrainSteps: number;
  /** Steps the method's learning-rate schedule spans: all its steps, or one UPS round (each starts from fresh weights). */
  stepsPerSchedule: number;
  throttle: StepThrottle;
  /** The threads each step is split across besides this one (null: none). */
  workers: GradientWorkers | null;
  /** Shards a step of each stage is split into at most. */
  shards: Record<TrainingStage, number>;
  /** Micro-batches each shard of a step of each stage runs as, to stay within the step memory budget. */
  microBatches: Record<TrainingStage, number>;
  /** The training model's extra heads (VideoSSL's teacher head, the pretraining projection). */
  heads: ExtraHeads;
  /** VideoSSL's image teacher; null for other methods. */
  teacher: ImageTeacher | null;
  /** The run's method: its declaration, and what it adds to the loop (rounds). */
  method: MethodModule;
  /** What the run watches until it stops improving. */
  watched: WatchedMetric;
}

/** Epoch e (1-based) of the run: pretraining or the method's own. */
function stageOf(run: RunContext, epoch: number): TrainingStage {
  return epoch <= run.config.settings.pretrainEpochs ? 'pretrain' : 'train';
}

/** What an epoch draws its unlabelled clips from: all of them, or UPS's selected ones (null: all). */
interface EpochPool {
  shape: EpochShape;
  selected: number[] | null;
}

function epochPool(run: RunContext, parts: TrainingParts, stage: TrainingStage): EpochPool {
  if (stage === 'pretrain') return { shape: run.pretrainShape, selected: null };
  if (parts.ups === null) return { shape: run.shape, selected: null };
  const selected = selectedIndices(parts.ups);
  return { shape: { ...run.shape, unlabelled: selected.length }, selected };
}

async function readStepBatch(run: RunContext, parts: TrainingParts, pool: EpochPool, clips: StepClips, stage: TrainingStage): Promise<StepBatch> {
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
    unlabelledTargets: parts.ups === null || stage === 'pretrain' ? null : targetsFor(parts.ups, unlabelled.indices),
  };
}

/** Step k (0-based, about to run) as the learning-rate schedule of its stage and UPS round (or of the whole method) sees it. */
function scheduleStep(run: RunContext, step: number): { step: number; totalSteps: number } {
  if (step < run.pretrainSteps) return { step, totalSteps: run.pretrainSteps };
  return { step: (step - run.pretrainSteps) % run.stepsPerSchedule, totalSteps: run.stepsPerSchedule };
}

/** The schedule's position and length after `done` steps, within the stage and round they belong to (so a round's end reads as its end, not the next round's start). */
function scheduleAfter(run: RunContext, done: number): { step: number; totalSteps: number } {
  if (done <= run.pretrainSteps) return { step: done, totalSteps: run.pretrainSteps };
  const method = done - run.pretrainSteps;
  return { step: method - Math.floor((method - 1) / run.stepsPerSchedule) * run.stepsPerSchedule, totalSteps: run.stepsPerSchedule };
}

/** One step; the model, optimizer, pseudo-label thresholds and alignment, and EMA keep the result. */
async function trainOnBatch(run: RunContext, parts: TrainingParts, batch: StepBatch, step: number, stage: TrainingStage): Promise<TrainStepResult> {
  const settings = run.config.settings;
  const schedule = scheduleStep(run, step);
  // SVT pretraining: the EMA weights are its teacher, their targets go with the clips, the centre moves after the step.
  const svt = stage === 'pretrain' && parts.svtCentre !== null ? { centre: parts.svtCentre, ...(await svtTeacherStep({ ...parts, heads: run.heads, centre: parts.svtCentre }, batch, run.spec, settings, parts.rng)) } : null;
  const teacher = run.teacher !== null && stage === 'train' ? await stepTeacherTargets(run.teacher, batch, run.spec) : (svt?.targets ?? null);
  const result = await shardedTrainStep({
    model: parts.model,
    optimizer: parts.optimizer,
    settings,
    batch: { ...batch, teacher },
    ...schedule,
    thresholds: parts.thresholds,
    alignment: parts.alignment,
    ema: parts.ema,
    ...(svt === null ? {} : { emaDecay: svtTeacherMomentum(schedule.step, schedule.totalSteps) }),
    rng: parts.rng,
    workers: run.workers,
    shards: run.shards[stage],
    microBatches: run.microBatches[stage],
    stage,
    heads: run.heads,
  });
  svt?.centre.update(svt.mean);
  return result;
}

/** The round (0-based) epoch e (1-based, counting pretraining) belongs to: 0 but for a method with rounds (UPS). */
function roundOf(run: RunContext, epoch: number): number {
  const s = run.config.settings;
  return run.method.rounds !== undefined && epoch > s.pretrainEpochs ? roundOfEpoch(epoch - s.pretrainEpochs, s.epochs) : 0;
}

function epochLabel(run: RunContext, epoch: number): string {
  const s = run.config.settings;
  if (stageOf(run, epoch) === 'pretrain') return `Pretraining (self-supervised) epoch ${epoch} of ${s.pretrainEpochs}`;
  const rounds = run.method.rounds;
  const round = rounds === undefined ? '' : `${rounds.label} round ${roundOf(run, epoch) + 1} of ${roundsOf(s)}: `;
  return `${round}Epoch ${epoch} of ${stopsOnPlateau(s) ? 'at most ' : ''}${run.totalEpochs}`;
}

function reportSkipped(run: RunContext): void {
  const failed = run.pool?.takeNewFailures() ?? [];
  if (failed.length > 0) {
    run.host.post({ type: 'progress', phase: 'decode', done: 0, total: 0, message: `Skipping: ${describeFailures(failed, 'unlabelled')}` });
  }
}

/** Trains one epoch; returns its accumulated results, or null when cancelled part way. */
async function trainEpoch(run: RunContext, parts: TrainingParts, epoch: number, firstStep: number): Promise<EpochAccumulator<(typeof STEP_KEYS)[number]> | null> {
  const { host } = run;
  const stage = stageOf(run, epoch);
  const pool = epochPool(run, parts, stage);
  const plan = planEpoch(parts.rng, pool.shape);
  const accumulator = new EpochAccumulator(STEP_KEYS);
  let step = firstStep;
  for await (const batch of readAhead(plan.length, (i) => readStepBatch(run, parts, pool, plan[i] ?? { labelled: [], unlabelled: [] }, stage))) {
    if (host.cancelled()) return null;
    const result = await trainOnBatch(run, parts, batch, step, stage);
    step++;
    accumulator.add(result, batch.labelled.length + batch.unlabelled.length);
    if (run.throttle.ready()) {
      host.post({ type: 'step', metrics: { epoch, step, loss: result.loss, maskRate: result.maskRate } });
      host.post({
        type: 'progress',
        phase: 'train',
        done: step,
        total: run.totalSteps,
        message: `${epochLabel(run, epoch)}, step ${accumulator.stepCount} of ${plan.length}`,
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

async function finishEpoch(
  run: RunContext,
  parts: TrainingParts,
  epoch: number,
  step: number,
  accumulator: EpochAccumulator<(typeof STEP_KEYS)[number]>,
): Promise<TrainedEpoch<EpochMetrics>> {
  const { config } = run;
  const pretraining = stageOf(run, epoch) === 'pretrain';
  // The classifier learns nothing while pretraining: its accuracy then would only say "chance".
  const validation = pretraining
    ? null
    : await parts.ema.withEma(parts.model, () => evaluate(classifierOf(parts.model), config.validation, run.cache, run.spec, EVAL_BATCH));
  const schedule = scheduleAfter(run, step);
  const { seconds, itemsPerSecond } = accumulator.timing();
  const metrics: EpochMetrics = {
    epoch,
    step,
    lr: cosineLearningRate(config.settings.learningRate, schedule.step, schedule.totalSteps),
    validationAccuracy: validation?.accuracy ?? null,
    validationLoss: validation?.loss ?? null,
    classThresholds: pretraining ? null : (parts.thresholds?.classThresholds() ?? null),
    loss: accumulator.mean('loss'),
    supervisedLoss: accumulator.mean('supervisedLoss'),
    unsupervisedLoss: accumulator.mean('unsupervisedLoss'),
    maskRate: accumulator.mean('maskRate'),
    trainAccuracy: accumulator.mean('trainAccuracy'),
    clipsPerSecond: itemsPerSecond,
    seconds,
  };
  return { steps: accumulator.stepCount, metrics: pretraining ? { ...metrics, stage: 'pretrain' } : metrics };
}

/** Saves `classifier` to runDir/model and predicts config.predict with it; false when cancelled. */
async function saveAndPredict(run: RunContext, classifier: tf.LayersModel): Promise<boolean> {
  const { config, host } = run;
  await saveModel(classifier, path.join(config.runDir, MODEL_DIR));
  if (config.predict.length === 0) return true;
  const clips = await decodablePredictionClips(run.cache, config.predict, host);
  const rng = new Rng(config.settings.seed + 1);
  return predictClips(classifier, clips, run.cache, { spec: run.spec, mcPasses: config.settings.mcPasses, rng }, host);
}

/**
 * The end of training: says why it stopped, then saves and predicts with the EMA weights of the best epoch
 * when the run watched a metric and they were saved for that epoch, else with the last epoch's EMA weights.
 */
async function finishRun(run: RunContext, parts: TrainingParts, history: EpochMetrics[]): Promise<boolean> {
  const { settings, runDir } = run.config;
  const plateau = plateauAfter(settings, run.watched, history);
  const best = plateau !== null && plateau.bestEpoch !== history.at(-1)?.epoch && (await bestEpochSaved(runDir)) === plateau.bestEpoch;
  run.host.post({ type: 'stop', stop: stopOf(settings, run.watched, history, plateau === null || !best ? 'last' : 'best') });
  if (!best) return parts.ema.withEma(parts.model, () => saveAndPredict(run, classifierOf(parts.model)));
  const model = await loadModel(path.join(runDir, BEST_MODEL_DIR));
  try {
    return await saveAndPredict(run, model);
  } finally {
    model.dispose();
  }
}

/** What the run computes on: the backend, how many threads split a step of each stage, and into how many micro-batches each thread's part. */
interface Compute {
  backend: BackendChoice;
  shards: Record<TrainingStage, number>;
  microBatches: Record<TrainingStage, MicroBatchPlan>;
  /** How a step is split to bound its memory, as the run's backend reason says it (null: not split). */
  memoryNote: string | null;
}

/** The teacher head's size the memory probe's model gets: the real teacher loads later, and its head is tiny next to the clips. */
const PROBE_TEACHER_DIM = 2;

const WHOLE: MicroBatchPlan = { perShard: 1, rows: 0, fits: true };

async function computeFor(config: RunConfig, backend: BackendChoice): Promise<Compute> {
  const s = config.settings;
  const threads = trainingThreads(s.threads, backend.name, os.availableParallelism());
  const pretrain = s.pretrainEpochs > 0 ? shardsPerStep(s, threads, 'pretrain') : 1;
  const shards = { pretrain, train: shardsPerStep(s, threads) };
  const budget = stepBudget(backend, s.maxStepMemory, os.totalmem());
  const heads = headsFor(s, methodInfo[s.method].teacher ? PROBE_TEACHER_DIM : 0);
  const planFor = async (stage: TrainingStage): Promise<MicroBatchPlan> => {
    const cost = await measureRunRowCost(s, config.classes.length, heads, stage);
    return planMicroBatches(stepShape(s, stage, shards[stage]), cost, budget);
  };
  const microBatches = { pretrain: s.pretrainEpochs > 0 ? await planFor('pretrain') : WHOLE, train: await planFor('train') };
  const notes = [
    describeMicroBatches(microBatches.train, shards.train, budget),
    s.pretrainEpochs > 0 ? describeMicroBatches(microBatches.pretrain, shards.pretrain, budget, 'a pretraining step') : null,
  ].filter((n): n is string => n !== null);
  return { backend, shards, microBatches, memoryNote: notes.length > 0 ? notes.join('; ') : null };
}

/** The backend as the run records it, with how many threads share each step when more than one, and how a step is split to bound its memory. */
function describedBackend({ backend, shards, memoryNote }: Compute): BackendChoice {
  const most = Math.max(shards.pretrain, shards.train);
  const which = shards.train === most ? 'each step' : 'each pretraining step';
  const parts = [backend.reason, most > 1 ? `${which} is split across ${most} threads (one core each)` : null, memoryNote];
  return { ...backend, reason: parts.filter((p): p is string => p !== null).join('; ') };
}

/** The image teacher a method distils (VideoSSL), loaded and checked (the error says what is wrong with the folder); null for other methods. */
async function teacherFor(config: RunConfig): Promise<ImageTeacher | null> {
  const s = config.settings;
  if (!methodInfo[s.method].teacher) return null;
  if (s.teacherDir === null) throw new Error(TEACHER_NEEDED);
  return loadImageTeacher(s.teacherDir);
}

/**
 * The run without the labelled clips that cannot be decoded (a damaged stretch, a container that promised more
 * frames than it holds): skipped with a warning in the run, as unlabelled ones are. Only a run left with no
 * labelled clip to train on fails.
 */
function withoutUndecodable(config: RunConfig, failures: readonly DecodeFailure[], host: TrainHost): RunConfig {
  if (failures.length === 0) return config;
  const failed = new Set(failures.map((f) => f.clip.clipId));
  const usable = { ...config, train: config.train.filter((c) => !failed.has(c.clip.clipId)), validation: config.validation.filter((c) => !failed.has(c.clip.clipId)) };
  if (usable.train.length === 0) throw new Error(`${describeFailures(failures, 'labelled')}: no labelled clip is left to train on. Fix or relabel them, then train again.`);
  host.post({ type: 'progress', phase: 'decode', done: 0, total: 0, message: `Skipping: ${describeFailures(failures, 'labelled')}` });
  return usable;
}

async function train(runConfig: RunConfig, host: TrainHost, background: AbortController, compute: Compute): Promise<void> {
  let config = runConfig;
  const settings = config.settings;
  const spec: ClipSpec = clipSpecOf(settings);
  const cache = new ClipCache(config.clipCacheDir, spec, config.tools);
  const method = methodModule(settings.method);
  if (method.info.usesUnlabelled && config.unlabelled.length === 0) {
    throw new Error(`${method.info.title} learns from unlabelled clips, and this run has none.`);
  }
  const pretraining = settings.pretrainEpochs > 0;
  const teacher = await teacherFor(config);

  let parts: TrainingParts | null = null;
  let workers: GradientWorkers | null = null;
  let freed = false;
  // Freed before 'done' is posted, as anomaly training does: a CLI exits on 'done', and tearing the backend
  // down (Dawn) while this thread still disposes tensors aborts the process.
  const free = async (): Promise<void> => {
    if (freed) return;
    freed = true;
    await workers?.close();
    if (parts !== null) disposeTrainingParts(parts);
    parts = null;
    teacher?.model.dispose();
  };
  try {
    const labelledFailures = await decodeClips(cache, [...config.train, ...config.validation].map((c) => c.clip), 'labelled', host);
    config = withoutUndecodable(config, labelledFailures, host);

    // Unlabelled clips decode behind the training steps; a step that needs one not decoded yet waits for it.
    const reader: ClipReader = method.info.clipViews > 1 ? new MultiViewReader(cache, new ViewCache(cache)) : cache;
    const pool = (method.info.usesUnlabelled || pretraining) && config.unlabelled.length > 0 ? new UnlabelledPool(config.unlabelled, reader) : null;
    if (pool !== null) {
      cache
        .ensure(config.unlabelled, { signal: background.signal, background: true })
        .then((result) => pool.addFailures(result.failed))
        .catch(() => undefined); // cancelled with the run; a clip that fails is also reported by its read
    }

    const pretrainShape: EpochShape = {
      labelled: config.train.length,
      unlabelled: pool?.size ?? 0,
      epochUnlabelled: config.unlabelled.length,
      batchSize: settings.batchSize,
      mu: settings.mu,
    };
    const shape: EpochShape = { ...pretrainShape, unlabelled: method.info.usesUnlabelled ? (pool?.size ?? 0) : 0 };
    const perEpoch = stepsPerEpoch(shape);
    const totalEpochs = totalEpochsOf(settings);
    const heads = headsFor(settings, teacher?.dim ?? 0);
    const context: RunContext = {
      config,
      host,
      spec,
      cache,
      reader,
      pool,
      shape,
      pretrainShape,
      stepsPerEpoch: perEpoch,
      totalEpochs,
      totalSteps: perEpoch * totalEpochs,
      pretrainSteps: perEpoch * settings.pretrainEpochs,
      // Until it stops improving, the schedule spans the ceiling: a run that stops early ends before its learning rate has fallen.
      stepsPerSchedule: perEpoch * methodEpochsOf(settings),
      throttle: new StepThrottle(STEP_MESSAGE_INTERVAL_MS),
      workers: null,
      shards: compute.shards,
      microBatches: { pretrain: compute.microBatches.pretrain.perShard, train: compute.microBatches.train.perShard },
      heads,
      teacher,
      method,
      watched: watchedMetricOf(settings, config.validation.length > 0),
    };

    parts = createTrainingParts(config, pool?.size ?? 0, 0, heads);
    if (config.warmStartDir) {
      // The EMA and optimizer restart at the loaded weights; a checkpoint to resume replaces all of it below.
      await warmStartFrom(parts.model, config.warmStartDir);
      restartFromCurrentWeights(parts, config);
    }
    const threads = Math.max(compute.shards.pretrain, compute.shards.train);
    if (threads > 1) {
      workers = await GradientWorkers.start(threads - 1, { settings, classes: config.classes.length, backend: compute.backend.name, heads });
      context.workers = workers;
    }
    const fingerprint = runFingerprint(config, heads);
    const current = parts;
    const start = await startPoint({
      resume: config.resume,
      fingerprint,
      read: () => classifierCheckpoint.read(config.runDir),
      restore: (checkpoint) => restoreTrainingParts(current, checkpoint),
      mismatch: 'The checkpoint was made with other settings (model, input or classes changed); start a new run instead.',
      host,
      totalSteps: context.totalSteps,
    });
    const partsNow = (): TrainingParts => {
      if (parts === null) throw new Error('training parts used after they were disposed');
      return parts;
    };
    await runEpochs<StepMetrics, EpochMetrics>({
      host,
      totalEpochs,
      start,
      beforeEpoch: async (epoch) => {
        if (pretraining && epoch === settings.pretrainEpochs + 1) {
          // Every round starts from the pretrained weights.
          if (context.method.rounds !== undefined) await savePretrained(partsNow().model, config.runDir);
          restartFromCurrentWeights(partsNow(), config);
        }
        const round = roundOf(context, epoch);
        const ending = partsNow();
        if (ending.ups === null || round <= ending.ups.round) return true;
        const selection = await ending.ema.withEma(ending.model, () => selectForRound(classifierOf(ending.model), context, round));
        if (selection === null) return false;
        disposeTrainingParts(ending);
        parts = null;
        const next = createTrainingParts(config, pool?.size ?? 0, round, heads);
        parts = next;
        if (pretraining) {
          await restorePretrained(next.model, config.runDir);
          restartFromCurrentWeights(next, config);
        }
        next.ups = selection;
        return true;
      },
      trainEpoch: async (epoch, firstStep) => {
        const accumulator = await trainEpoch(context, partsNow(), epoch, firstStep);
        return accumulator === null ? null : finishEpoch(context, partsNow(), epoch, firstStep + accumulator.stepCount, accumulator);
      },
      checkpoint: async ({ epoch, step, history }) => {
        await classifierCheckpoint.write(config.runDir, await checkpointOf(partsNow(), { runId: config.runId, epoch, step, fingerprint, history }));
        // After the checkpoint: the best weights on disk are never of an epoch a resumed run would train again.
        if (plateauAfter(settings, context.watched, history)?.bestEpoch === epoch) await saveBestWeights(partsNow(), config.runDir, epoch);
      },
      stopAfter: (history) => plateauAfter(settings, context.watched, history)?.stop ?? false,
      afterEpoch: () => reportSkipped(context),
      finish: async (history) => {
        background.abort();
        const finished = await finishRun(context, partsNow(), history);
        await free();
        return finished;
      },
    });
  } finally {
    await free();
  }
}

/**
 * Trains the run described by `config`, reporting through `host`. Ends by posting 'done' or
 * 'cancelled'; throws on failure (the worker reports that as 'error').
 */
export async function runTraining(config: RunConfig, host: TrainHost): Promise<void> {
  checkConfig(config);
  const background = new AbortController();
  const stopBackground = (): void => background.abort();
  host.signal.addEventListener('abort', stopBackground, { once: true });
  let compute: Promise<Compute> | null = null;
  // Measured once, after the backend is chosen: the run's description and its loop use the same plan.
  const computeOn = (backend: BackendChoice): Promise<Compute> => (compute ??= computeFor(config, backend));
  try {
    await runTrainingJob({
      config,
      host,
      describe: async (backend) => describedBackend(await computeOn(backend)),
      train: async (backend) => train(config, host, background, await computeOn(backend)),
      savedEpochs: async () => (await classifierCheckpoint.readState(config.runDir))?.epoch ?? 0,
    });
  } finally {
    host.signal.removeEventListener('abort', stopBackground);
    background.abort();
  }
}
