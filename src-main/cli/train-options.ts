import path from 'node:path';
import { methodInfo, TEACHER_NEEDED, trainSettingsSchema, trainingMethods, type TrainingMethod, type TrainSettings } from '../shared/training.js';
import { UsageError } from './usage.js';

/** Command-line flags of `vssl train` and the setting each one sets. */
export const TRAIN_FLAGS = {
  method: { type: 'string' },
  epochs: { type: 'string' },
  'until-plateau': { type: 'boolean' },
  patience: { type: 'string' },
  'min-improvement': { type: 'string' },
  'min-epochs': { type: 'string' },
  'max-epochs': { type: 'string' },
  frames: { type: 'string' },
  size: { type: 'string' },
  fps: { type: 'string' },
  seed: { type: 'string' },
  flip: { type: 'boolean' },
  'batch-size': { type: 'string' },
  mu: { type: 'string' },
  lr: { type: 'string' },
  threshold: { type: 'string' },
  'lambda-u': { type: 'string' },
  architecture: { type: 'string' },
  width: { type: 'string' },
  depth: { type: 'string' },
  dropout: { type: 'string' },
  validation: { type: 'string' },
  'mc-passes': { type: 'string' },
  threads: { type: 'string' },
  'max-step-memory': { type: 'string' },
  'ups-rounds': { type: 'string' },
  'ups-tau-p': { type: 'string' },
  'ups-kappa-p': { type: 'string' },
  'ups-tau-n': { type: 'string' },
  'ups-kappa-n': { type: 'string' },
  'tcl-warmup': { type: 'string' },
  'tcl-finetune': { type: 'string' },
  teacher: { type: 'string' },
  'distill-weight': { type: 'string' },
  'pretrain-epochs': { type: 'string' },
  'pretrain-objective': { type: 'string' },
  'distribution-alignment': { type: 'boolean' },
  'freematch-momentum': { type: 'string' },
  'fairness-weight': { type: 'string' },
  name: { type: 'string' },
  resume: { type: 'string' },
  'next-round': { type: 'string' },
  'fresh-weights': { type: 'boolean' },
} as const;

const NUMERIC: Record<string, keyof TrainSettings> = {
  epochs: 'epochs',
  patience: 'patience',
  'min-improvement': 'minImprovement',
  'min-epochs': 'minEpochs',
  'max-epochs': 'maxEpochs',
  frames: 'frames',
  size: 'size',
  fps: 'fps',
  seed: 'seed',
  'batch-size': 'batchSize',
  mu: 'mu',
  lr: 'learningRate',
  threshold: 'threshold',
  'lambda-u': 'lambdaU',
  width: 'width',
  depth: 'depth',
  dropout: 'dropout',
  validation: 'validationFraction',
  'mc-passes': 'mcPasses',
  threads: 'threads',
  'max-step-memory': 'maxStepMemory',
  'ups-rounds': 'upsRounds',
  'ups-tau-p': 'upsTauP',
  'ups-kappa-p': 'upsKappaP',
  'ups-tau-n': 'upsTauN',
  'ups-kappa-n': 'upsKappaN',
  'tcl-warmup': 'tclWarmup',
  'tcl-finetune': 'tclFinetune',
  'distill-weight': 'distillWeight',
  'pretrain-epochs': 'pretrainEpochs',
  'freematch-momentum': 'freeMatchMomentum',
  'fairness-weight': 'fairnessWeight',
};

/** Flags that set how long training goes on until it stops improving. */
const PLATEAU_FLAGS = ['until-plateau', 'patience', 'min-improvement', 'min-epochs', 'max-epochs'] as const;

/** --epochs N trains exactly N epochs (as before budgets existed); --until-plateau and its flags choose the other budget. */
function budgetFromFlags(values: Record<string, unknown>): TrainSettings['budget'] | null {
  const plateau = PLATEAU_FLAGS.filter((flag) => values[flag] !== undefined && values[flag] !== false);
  if (values.epochs !== undefined && plateau.length > 0) {
    throw new UsageError(`train: --epochs N trains a fixed number of epochs; --${plateau[0]} is for training until it stops improving (its ceiling is --max-epochs).`);
  }
  if (values.epochs !== undefined) return 'epochs';
  return plateau.length > 0 ? 'until-plateau' : null;
}

/** Flags that are not numbers, by the setting they set (for naming the flag of a refused value). */
const OTHER: Partial<Record<keyof TrainSettings, string>> = { teacherDir: 'teacher', pretrainObjective: 'pretrain-objective' };

/**
 * Turns parsed flags into validated settings over the project's defaults for the method (the
 * remembered flip choice, a larger input when a GPU backend is installed); every problem is a
 * UsageError naming the flag.
 */
export function settingsFromFlags(
  values: Record<string, unknown>,
  defaults: Partial<Record<TrainingMethod, TrainSettings>>,
): TrainSettings {
  if (typeof values.method !== 'string') {
    throw new UsageError(`train: --method is required (one of ${trainingMethods.join(', ')}).`);
  }
  const base = trainingMethods.find((m) => m === values.method);
  const input: Record<string, unknown> = { ...(base ? defaults[base] : {}), method: values.method };
  if (typeof values.flip === 'boolean') input.flip = values.flip;
  if (typeof values.architecture === 'string') input.architecture = values.architecture;
  if (typeof values['pretrain-objective'] === 'string') input.pretrainObjective = values['pretrain-objective'];
  const budget = budgetFromFlags(values);
  if (budget !== null) input.budget = budget;
  if (typeof values.teacher === 'string') input.teacherDir = path.resolve(values.teacher);
  if (typeof values['distribution-alignment'] === 'boolean') {
    const aligning = trainingMethods.filter((m) => methodInfo[m].settings.includes('distributionAlignment'));
    if (base === undefined || !aligning.includes(base)) {
      throw new UsageError(`train: --distribution-alignment is an option of ${aligning.join(', ')}, not of --method ${String(values.method)}.`);
    }
    input.distributionAlignment = values['distribution-alignment'];
  }
  for (const [flag, key] of Object.entries(NUMERIC)) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const number = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(number)) {
      throw new UsageError(`train: --${flag} must be a number, not ${JSON.stringify(raw)}.`);
    }
    input[key] = number;
  }
  if (base !== undefined && methodInfo[base].teacher && typeof input.teacherDir !== 'string') {
    throw new UsageError(`train: --teacher DIR is needed with --method ${base}. ${TEACHER_NEEDED}`);
  }
  const parsed = trainSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const flag = OTHER[key as keyof TrainSettings] ?? Object.entries(NUMERIC).find(([, k]) => k === key)?.[0] ?? key;
    throw new UsageError(`train: --${flag}: ${issue?.message ?? 'invalid value'}`.replace(/\.?$/, '.'));
  }
  return parsed.data;
}
