/**
 * Training settings shared by the Train view, the CLI and the engine: the methods, what each
 * does in one line, and their published defaults (see shared/design/METHODS.md).
 */
import { z } from 'zod';

export const trainingMethods = ['supervised', 'pseudolabel', 'fixmatch', 'flexmatch', 'mvpl', 'ups', 'tcl', 'videossl'] as const;
export type TrainingMethod = (typeof trainingMethods)[number];

export const architectures = ['r2plus1d', 'frame2d'] as const;
export type Architecture = (typeof architectures)[number];

export interface MethodInfo {
  name: TrainingMethod;
  title: string;
  /** One line a person reads in the method picker. */
  summary: string;
  /** Settings this method reads beyond the shared ones (for the settings form). */
  settings: (keyof TrainSettings)[];
  usesUnlabelled: boolean;
}

export const methodInfo: Record<TrainingMethod, MethodInfo> = {
  supervised: {
    name: 'supervised',
    title: 'Supervised',
    summary: 'Learns from the labelled clips only: the baseline every other method should beat.',
    settings: [],
    usesUnlabelled: false,
  },
  pseudolabel: {
    name: 'pseudolabel',
    title: 'Pseudo-label',
    summary: 'Trains on its own confident predictions for unlabelled clips (a hard threshold), ramped in slowly.',
    settings: ['threshold', 'lambdaU', 'mu', 'unsupervisedWarmup'],
    usesUnlabelled: true,
  },
  fixmatch: {
    name: 'fixmatch',
    title: 'FixMatch',
    summary: 'A confident prediction on a lightly augmented clip becomes the target for a heavily augmented copy.',
    settings: ['threshold', 'lambdaU', 'mu'],
    usesUnlabelled: true,
  },
  flexmatch: {
    name: 'flexmatch',
    title: 'FlexMatch',
    summary: 'FixMatch with a threshold per class that rises as the class is learnt; starts at 0, so early epochs are noisy.',
    settings: ['threshold', 'lambdaU', 'mu', 'flexWarmup'],
    usesUnlabelled: true,
  },
  mvpl: {
    name: 'mvpl',
    title: 'MvPL (multi-view)',
    summary:
      'FixMatch over three views of each clip (colour, temporal gradient, optical flow): their averaged predictions label every view. About 3× the time a step; predicts from colour alone.',
    settings: ['threshold', 'lambdaU', 'mu'],
    usesUnlabelled: true,
  },
  ups: {
    name: 'ups',
    title: 'UPS (uncertainty-aware)',
    summary:
      'Rounds: train, then keep only pseudo-labels that are confident and certain under MC-dropout (and "surely not" labels, your rejections too), then train again from scratch. Each round costs a full training.',
    settings: ['upsRounds', 'upsTauP', 'upsKappaP', 'upsTauN', 'upsKappaN', 'lambdaU', 'mu'],
    usesUnlabelled: true,
  },
  tcl: {
    name: 'tcl',
    title: 'TCL (temporal contrast)',
    summary:
      'Each unlabelled clip seen at its own pace and at double speed should get the same prediction, and differ from other clips; supervised only during the warm-up.',
    settings: ['mu', 'tclWarmup', 'tclFinetune', 'threshold'],
    usesUnlabelled: true,
  },
  videossl: {
    name: 'videossl',
    title: 'VideoSSL (image teacher)',
    summary:
      'Pseudo-labels its confident predictions, and an extra head learns what an image model you supply (a TF.js model folder) sees in one frame of every clip. Needs that teacher.',
    settings: ['teacherDir', 'threshold', 'lambdaU', 'distillWeight', 'mu'],
    usesUnlabelled: true,
  },
};

/** Why a VideoSSL run cannot start without a teacher (the Train view, the CLI and the service say the same). */
export const TEACHER_NEEDED =
  'VideoSSL distils an image teacher into the video model, and this run has none: choose a teacher folder (a TF.js layers image model: model.json and its weights).';

/** Epochs a run trains in all: UPS trains `epochs` in each of its rounds. */
export function totalEpochsOf(settings: Pick<TrainSettings, 'method' | 'epochs' | 'upsRounds' | 'pretrainEpochs'>): number {
  return settings.pretrainEpochs + (settings.method === 'ups' ? settings.epochs * settings.upsRounds : settings.epochs);
}

/** Methods whose step forwards a weak and a strong view of each unlabelled clip. */
export function usesStrongViews(method: TrainingMethod): boolean {
  return method === 'fixmatch' || method === 'flexmatch' || method === 'mvpl';
}

const unit = z.number().min(0).max(1);

/** Every setting of a classification run, with its default. */
export const trainSettingsSchema = z
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
    /** An epoch is one pass over the unlabelled clips (or the labelled ones, if there are more). */
    epochs: z.number().int().min(1).max(2000).default(20),
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
    /** FlexMatch: count not-yet-predicted clips as a class of their own (the published warm-up). */
    flexWarmup: z.boolean().default(true),
    /** UPS: rounds of training (the first on the labelled clips alone), each of `epochs` epochs from fresh weights. */
    upsRounds: z.number().int().min(2).max(20).default(3),
    /** UPS: a positive pseudo-label needs MC-dropout mean ≥ τp and std < κp on its class. */
    upsTauP: unit.default(0.7),
    upsKappaP: unit.default(0.05),
    /** UPS: "surely not class c" when its mean < τn and std < κn. */
    upsTauN: unit.default(0.05),
    upsKappaN: unit.default(0.005),
    /** TCL: share of training on the labelled clips alone before the contrastive losses join. */
    tclWarmup: unit.default(0.1),
    /** TCL: share of training at the end that fine-tunes on confident pseudo-labels (τ) instead of contrasting (0: none). */
    tclFinetune: unit.default(0),
    /** VideoSSL: the image teacher, a folder holding a TF.js layers model that takes images (absolute path). */
    teacherDir: z
      .string()
      .min(1)
      .max(4096)
      .refine((p) => !p.includes('\0') && (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)), 'The teacher folder must be an absolute path.')
      .nullable()
      .default(null),
    /** VideoSSL: λd, the weight of the distillation loss KL(teacher ‖ student's extra head). */
    distillWeight: z.number().min(0).max(100).default(1),
    /**
     * Self-supervised pretraining on all the run's clips (labels unused) before the method's own epochs:
     * each clip and the same clip at double speed are contrasted through a projection head (0: none).
     */
    pretrainEpochs: z.number().int().min(0).max(500).default(0),
    /** Pseudo-label: share of training over which λu ramps up from 0. */
    unsupervisedWarmup: unit.default(0.4),
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
    /** MC-dropout passes when predicting (0: none, only the deterministic pass). */
    mcPasses: z.number().int().min(0).max(100).default(10),
  })
  .strict();

export type TrainSettings = z.output<typeof trainSettingsSchema>;
export type TrainSettingsInput = z.input<typeof trainSettingsSchema>;

export function defaultTrainSettings(method: TrainingMethod): TrainSettings {
  return trainSettingsSchema.parse({ method });
}

/** Input spec for a native GPU backend: more frames and pixels than the CPU default. */
export const gpuInputSpec = { frames: 16, size: 112 } as const;
