/**
 * Training settings shared by the Train view, the CLI and the engine: the methods (each declared in
 * shared/methods), what each does in one line, and every setting with its published default (see
 * shared/design/METHODS.md).
 */
import { z } from 'zod';
import { METHOD_DECLARATIONS } from './methods/index.js';
import type { MethodInfo as MethodInfoOf } from './methods/method-declaration.js';

export type TrainingMethod = (typeof METHOD_DECLARATIONS)[number]['name'];
export const trainingMethods = METHOD_DECLARATIONS.map((m) => m.name) as [TrainingMethod, ...TrainingMethod[]];

export function isTrainingMethod(name: string): name is TrainingMethod {
  return (trainingMethods as readonly string[]).includes(name);
}

export const architectures = ['r2plus1d', 'frame2d'] as const;
export type Architecture = (typeof architectures)[number];

export type { UnlabelledViews } from './methods/method-declaration.js';

/** Why a VideoSSL run cannot start without a teacher (the Train view, the CLI and the service say the same). */
export const TEACHER_NEEDED =
  'VideoSSL distils an image teacher into the video model, and this run has none: choose a teacher folder (a TF.js layers image model: model.json and its weights).';

/** Epochs a run trains at most: pretraining, then the method's epochs (the ceiling until it stops improving; UPS: `epochs` in each round). */
export function totalEpochsOf(settings: TrainSettings): number {
  return settings.pretrainEpochs + methodEpochsOf(settings) * roundsOf(settings);
}

/**
 * Epochs the method trains at most in one round, which its learning-rate schedule spans: `epochs` with a
 * fixed budget, the ceiling `maxEpochs` until it stops improving. A method with rounds (UPS) keeps `epochs`
 * per round: each round starts from fresh weights, so a plateau would only end it earlier than the next.
 */
export function methodEpochsOf(settings: TrainSettings): number {
  return settings.budget === 'epochs' || roundsOf(settings) > 1 ? settings.epochs : settings.maxEpochs;
}

/** Rounds of `epochs` epochs the run's method trains (UPS: several, each from fresh weights; others: one). */
export function roundsOf(settings: TrainSettings): number {
  // A declaration's `rounds` reads its own settings, which every run's settings hold.
  const { rounds } = declarationOf(settings.method) as { rounds?: (own: TrainSettings) => number };
  return rounds?.(settings) ?? 1;
}

function declarationOf(method: TrainingMethod): (typeof METHOD_DECLARATIONS)[number] {
  const declaration = METHOD_DECLARATIONS.find((m) => m.name === method);
  if (declaration === undefined) throw new Error(`unknown training method ${method}`);
  return declaration;
}

const unit = z.number().min(0).max(1);

/** 'until-plateau': until the watched metric stops improving, within a ceiling; 'epochs': a fixed number of epochs. */
export const trainingBudgets = ['until-plateau', 'epochs'] as const;
export type TrainingBudget = (typeof trainingBudgets)[number];
/** Self-supervised pretraining objectives (the `pretrainObjective` setting). */
export const PRETRAIN_OBJECTIVES = ['svt', 'contrast'] as const;
export type PretrainObjective = (typeof PRETRAIN_OBJECTIVES)[number];

/** The fixed budget's epochs when none are named: "a first look". */
const DEFAULT_EPOCHS = 20;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type OwnSettings = UnionToIntersection<(typeof METHOD_DECLARATIONS)[number]['own']>;

/** The settings only one method has, each declared with its method (shared/methods). */
const ownSettings = Object.assign({}, ...METHOD_DECLARATIONS.map((m) => m.own)) as OwnSettings;

/** Every setting of a classification run, with its default. */
const trainSettingsFields = z
  .object({
    method: z.enum(trainingMethods, { message: `The method is one of ${trainingMethods.join(', ')}.` }),
    architecture: z.enum(architectures).default('r2plus1d'),
    /** Channels of the first block; later blocks double it. */
    width: z.number().int().min(4).max(256).default(16),
    /** Number of blocks (each halves the side). */
    depth: z.number().int().min(1).max(6).default(3),
    dropout: z.number().min(0).max(0.9).default(0.3),
    /** Input spec: frames per clip, side in pixels, sampling rate (null: spread over the clip). */
    frames: z.number().int().min(2).max(64).default(8),
    size: z.number().int().min(16).max(256).default(64),
    fps: z.number().positive().max(240).nullable().default(null),
    /**
     * How long the method trains: until the watched metric stops improving (see shared/training-budget.ts),
     * or a fixed number of epochs. Without it, settings that name `epochs` mean that many (the CLI's
     * --epochs, runs stored before budgets existed); otherwise until it stops improving.
     */
    budget: z.enum(trainingBudgets).optional(),
    /** An epoch is one pass over the unlabelled clips (or the labelled ones, if there are more). The fixed budget's length. */
    epochs: z.number().int().min(1).max(2000).optional(),
    /**
     * Until it stops improving: epochs without an improvement before the run stops. 10, because in
     * docs/benchmarks.md a learning run still gains points in every 10-epoch window (PyTorch FixMatch
     * +8.4 from epoch 20 to 30, +1.6 from 30 to 40), while a run that has peaked has not in 10.
     */
    patience: z.number().int().min(1).max(500).default(10),
    /** Until it stops improving: the least rise of the watched metric (a share, 0..1) that counts as improving. */
    minImprovement: z.number().min(0).max(1).default(0.001),
    /**
     * Until it stops improving: the run does not stop before this many of the method's epochs. 30, because
     * FlexMatch's thresholds stay near 0 for its first 25-35 epochs (docs/benchmarks.md): its validation
     * accuracy then is flat without the run having learnt what it will.
     */
    minEpochs: z.number().int().min(1).max(2000).default(30),
    /** Until it stops improving: the ceiling of the method's epochs, which the learning-rate schedule spans. */
    maxEpochs: z.number().int().min(1).max(2000).default(200),
    /** B: labelled clips per step. */
    batchSize: z.number().int().min(1).max(512).default(8),
    /** μ: unlabelled clips per labelled clip in a step. */
    mu: z.number().int().min(1).max(16).default(7),
    learningRate: z.number().positive().max(10).default(0.03),
    momentum: z.number().min(0).max(0.999).default(0.9),
    weightDecay: z.number().min(0).max(0.1).default(5e-4),
    /** τ: confidence a pseudo-label needs (FlexMatch: the top of every class's threshold). */
    threshold: unit.default(0.95),
    /** λu: weight of the unlabelled loss. */
    lambdaU: z.number().min(0).max(100).default(1),
    emaDecay: z.number().min(0).max(0.99999).default(0.999),
    /**
     * Self-supervised pretraining on all the run's clips (labels unused) before the method's own epochs:
     * each clip and the same clip at double speed are contrasted through a projection head (0: none).
     */
    pretrainEpochs: z.number().int().min(0).max(500).default(0),
    /**
     * What pretraining learns from: 'svt' (a student matches an EMA teacher across views of different spatial
     * and temporal extent, no negatives) or 'contrast' (NT-Xent with the double-speed copy, backwards clips as
     * negatives). Runs stored before the choice existed pretrained with 'contrast' (storedTrainSettings).
     */
    pretrainObjective: z.enum(PRETRAIN_OBJECTIVES).default('svt'),
    /** Share of labelled clips held out to measure accuracy (at least one class keeps one to train). */
    validationFraction: z.number().min(0).max(0.9).default(0.2),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    /** Horizontal flips in augmentation. Off when the classes depend on direction (swipe left/right). */
    flip: z.boolean().default(true),
    /**
     * CPU threads a step is split across on the wasm and cpu backends (0: one per core). Each thread
     * computes the gradients of part of the step's clips; the native backends use every core themselves.
     */
    threads: z.number().int().min(0).max(64).default(0),
    /**
     * MiB of tensors one step may hold at its peak (0: what the backend allows, wasm's heap or the GPU's
     * limits). A larger step runs as micro-batches one after another whose gradients add up.
     */
    maxStepMemory: z.number().int().min(0).max(1_048_576).default(0),
    /** MC-dropout passes when predicting (0: none, only the deterministic pass). */
    mcPasses: z.number().int().min(0).max(100).default(10),
    ...ownSettings,
  })
  .strict();

/** Every setting of a classification run, with its default; `trainSettingsSchema.in.shape` holds each one's own schema. */
export const trainSettingsSchema = trainSettingsFields.transform(({ budget, epochs, ...settings }) => ({
  ...settings,
  budget: budget ?? (epochs === undefined ? 'until-plateau' : 'epochs'),
  epochs: epochs ?? DEFAULT_EPOCHS,
}));

export type TrainSettings = z.output<typeof trainSettingsSchema>;

/** Settings as a run stored them: runs from before `pretrainObjective` existed pretrained with 'contrast'. */
export function storedTrainSettings(json: unknown): TrainSettings {
  const stored = typeof json === 'object' && json !== null && !('pretrainObjective' in json) ? { ...json, pretrainObjective: 'contrast' } : json;
  return trainSettingsSchema.parse(stored);
}
export type TrainSettingsInput = z.input<typeof trainSettingsSchema>;

export function defaultTrainSettings(method: TrainingMethod): TrainSettings {
  return trainSettingsSchema.parse({ method });
}

/** Input spec for a native GPU backend: more frames and pixels than the CPU default. */
export const gpuInputSpec = { frames: 16, size: 112 } as const;

/** A method as the Train view lists it: its declaration's plain values, its settings named as TrainSettings keys. */
export type MethodInfo = Omit<MethodInfoOf<TrainingMethod>, 'settings'> & { settings: (keyof TrainSettings)[] };

function infoOf(declaration: (typeof METHOD_DECLARATIONS)[number]): MethodInfo {
  const unknown = declaration.settings.filter((key) => !(key in trainSettingsFields.shape));
  if (unknown.length > 0) throw new Error(`Method ${declaration.name} lists settings that do not exist: ${unknown.join(', ')}.`);
  const { name, title, summary, usesUnlabelled, unlabelledViews, clipViews, teacher, perClassThresholds } = declaration;
  const settings = declaration.settings as readonly (keyof TrainSettings)[];
  return { name, title, summary, settings: [...settings], usesUnlabelled, unlabelledViews, clipViews, teacher, perClassThresholds };
}

export const methodInfo = Object.fromEntries(METHOD_DECLARATIONS.map((m) => [m.name, infoOf(m)])) as Record<TrainingMethod, MethodInfo>;
