/**
 * The Train view's settings form without the DOM: which fields a method shows, what a person
 * typed on top of the method's published defaults, and the settings (or the errors) that makes.
 * The bounds mirror trainSettingsSchema (checked by a unit test) so the renderer bundle needs no
 * zod; the core validates again and its message is shown if it still refuses.
 */
import {
  methodInfo,
  TEACHER_NEEDED,
  type Architecture,
  type MethodInfo,
  type PretrainObjective,
  type TrainingBudget,
  type TrainingMethod,
  type TrainSettings,
} from '../../../src-main/shared/training.js';
import { checkNumber, type NumberFieldSpec } from '../common/number-field.js';

type NumericKey = {
  [K in keyof TrainSettings]: TrainSettings[K] extends number ? K : TrainSettings[K] extends number | null ? K : never;
}[keyof TrainSettings];

/** Bounds as in trainSettingsSchema (a unit test keeps them equal). */
export interface NumberField extends NumberFieldSpec {
  key: NumericKey;
  step: number;
  /** Blank means "none" (fps): the field may be left empty on purpose. */
  nullable?: boolean;
}

const FIELDS: Record<NumericKey, NumberField> = {
  epochs: {
    key: 'epochs',
    label: 'Epochs',
    hint: 'One epoch is a pass over the unlabelled clips (or the labelled ones, if more). 20 is a first look: semi-supervised methods often pay off only after about 100, as their mask rate climbs.',
    step: 1,
    min: 1,
    max: 2000,
    integer: true,
  },
  patience: {
    key: 'patience',
    label: 'Patience (epochs)',
    hint: 'Stop once the validation accuracy (without a validation split: the mask rate) has not improved for this many epochs.',
    step: 1,
    min: 1,
    max: 500,
    integer: true,
  },
  maxEpochs: {
    key: 'maxEpochs',
    label: 'At most (epochs)',
    hint: 'The ceiling: stop here even if it still improves. The learning rate falls over this many epochs.',
    step: 1,
    min: 1,
    max: 2000,
    integer: true,
  },
  minEpochs: {
    key: 'minEpochs',
    label: 'At least (epochs)',
    hint: 'Never stop before this many: some methods (FlexMatch) only start to improve after a warm-up.',
    step: 1,
    min: 1,
    max: 2000,
    integer: true,
  },
  minImprovement: {
    key: 'minImprovement',
    label: 'Least improvement',
    hint: 'A rise smaller than this (a share: 0.01 is one point) does not count as improving.',
    step: 0.001,
    min: 0,
    max: 1,
  },
  pretrainEpochs: {
    key: 'pretrainEpochs',
    label: 'Self-supervised pretraining (epochs)',
    hint: 'First learn from all clips without labels, with the objective chosen below (0: skip).',
    step: 1,
    min: 0,
    max: 500,
    integer: true,
  },
  frames: { key: 'frames', label: 'Frames per clip', hint: 'T: frames sampled from each clip.', step: 1, min: 2, max: 64, integer: true },
  size: { key: 'size', label: 'Frame size (px)', hint: 'S: frames are resized and cropped to S×S.', step: 8, min: 16, max: 256, integer: true },
  batchSize: { key: 'batchSize', label: 'Batch size', hint: 'B: labelled clips per step.', step: 1, min: 1, max: 512, integer: true },
  learningRate: { key: 'learningRate', label: 'Learning rate', hint: 'Start of the cosine schedule (SGD, Nesterov momentum).', step: 0.001, min: 0, max: 10, above: true },
  seed: { key: 'seed', label: 'Seed', hint: 'Same seed and data, same run.', step: 1, min: 0, max: 2 ** 31 - 1, integer: true },
  threshold: { key: 'threshold', label: 'Confidence threshold τ', hint: 'How sure a prediction must be to become a pseudo-label.', step: 0.01, min: 0, max: 1 },
  lambdaU: { key: 'lambdaU', label: 'Unlabelled weight λu', hint: 'Weight of the unlabelled loss against the labelled one.', step: 0.1, min: 0, max: 100 },
  mu: { key: 'mu', label: 'Unlabelled ratio μ', hint: 'Unlabelled clips per labelled clip in a step.', step: 1, min: 1, max: 16, integer: true },
  unsupervisedWarmup: { key: 'unsupervisedWarmup', label: 'Ramp-up share', hint: 'Share of training over which λu rises from 0.', step: 0.05, min: 0, max: 1 },
  width: { key: 'width', label: 'Width', hint: 'Channels of the first block; each later block doubles them.', step: 4, min: 4, max: 256, integer: true },
  depth: { key: 'depth', label: 'Depth', hint: 'Blocks; each halves the frame side.', step: 1, min: 1, max: 6, integer: true },
  dropout: { key: 'dropout', label: 'Dropout', hint: 'Before the last layer; also drives MC-dropout uncertainty.', step: 0.05, min: 0, max: 0.9 },
  fps: { key: 'fps', label: 'Sampling rate (fps)', hint: 'Blank: frames spread evenly over the clip.', step: 1, min: 0, max: 240, above: true, nullable: true },
  momentum: { key: 'momentum', label: 'Momentum', hint: 'SGD momentum (Nesterov).', step: 0.01, min: 0, max: 0.999 },
  weightDecay: { key: 'weightDecay', label: 'Weight decay', hint: 'L2 penalty on the weights.', step: 0.0001, min: 0, max: 0.1 },
  emaDecay: { key: 'emaDecay', label: 'EMA decay', hint: 'Evaluation uses an average of the weights over steps.', step: 0.001, min: 0, max: 0.99999 },
  mcPasses: { key: 'mcPasses', label: 'MC-dropout passes', hint: 'Passes with dropout on when predicting, for uncertainty (0: none).', step: 1, min: 0, max: 100, integer: true },
  upsRounds: { key: 'upsRounds', label: 'Rounds', hint: 'Trainings in all: the first on labelled clips alone; each later one adds the pseudo-labels the last one was sure of.', step: 1, min: 2, max: 20, integer: true },
  upsTauP: { key: 'upsTauP', label: 'τp (confidence)', hint: 'A pseudo-label needs this mean probability under MC-dropout.', step: 0.05, min: 0, max: 1 },
  upsKappaP: { key: 'upsKappaP', label: 'κp (uncertainty)', hint: '… and a standard deviation below this.', step: 0.01, min: 0, max: 1 },
  upsTauN: { key: 'upsTauN', label: 'τn', hint: '"Surely not this class" when its mean probability is below this …', step: 0.01, min: 0, max: 1 },
  upsKappaN: { key: 'upsKappaN', label: 'κn', hint: '… and its standard deviation below this.', step: 0.001, min: 0, max: 1 },
  freeMatchMomentum: {
    key: 'freeMatchMomentum',
    label: 'Momentum λ',
    hint: 'How slowly the thresholds follow the model’s confidence (a running mean over steps).',
    step: 0.001,
    min: 0,
    max: 0.99999,
  },
  fairnessWeight: { key: 'fairnessWeight', label: 'Fairness weight w_f', hint: 'Weight of the term that keeps pseudo-labels spread over the classes.', step: 0.001, min: 0, max: 10 },
  distillWeight: { key: 'distillWeight', label: 'Distillation weight λd', hint: 'Weight of learning what the teacher sees in one frame of each clip.', step: 0.1, min: 0, max: 100 },
  tclWarmup: { key: 'tclWarmup', label: 'Warm-up share', hint: 'Share of training on labelled clips alone before the contrastive losses join.', step: 0.05, min: 0, max: 1 },
  tclFinetune: {
    key: 'tclFinetune',
    label: 'Pseudo-label fine-tuning share',
    hint: 'Last share of training that learns from confident predictions (τ) instead of contrasting (0: none).',
    step: 0.05,
    min: 0,
    max: 1,
  },
  threads: {
    key: 'threads',
    label: 'CPU threads',
    hint: 'Cores each training step is split across without a GPU (0: all of them). Small steps stay on one.',
    step: 1,
    min: 0,
    max: 64,
    integer: true,
  },
  maxStepMemory: {
    key: 'maxStepMemory',
    label: 'Step memory (MiB)',
    hint: 'Most memory a training step may take; a larger step runs in parts whose gradients add up (0: what the backend allows).',
    step: 64,
    min: 0,
    max: 1048576,
    integer: true,
  },
  validationFraction: { key: 'validationFraction', label: 'Validation split', hint: 'Share of labelled clips held out to measure accuracy.', step: 0.05, min: 0, max: 0.9 },
};

/** Every method reads these; they stay in view. */
export const SHARED_FIELDS: readonly NumberField[] = [FIELDS.pretrainEpochs, FIELDS.frames, FIELDS.size, FIELDS.batchSize, FIELDS.learningRate, FIELDS.seed];

/** The fields of each budget: how long it trains. */
export const BUDGET_FIELDS: Record<TrainingBudget, readonly NumberField[]> = {
  'until-plateau': [FIELDS.patience, FIELDS.maxEpochs, FIELDS.minEpochs, FIELDS.minImprovement],
  epochs: [FIELDS.epochs],
};

/** Whether the method trains rounds of fixed epochs (UPS, the one method whose rounds have a setting), whatever the budget. */
export function hasFixedRounds(info: MethodInfo): boolean {
  return info.settings.includes('upsRounds');
}

/** The budget whose fields the form shows for the method. */
export function shownBudget(info: MethodInfo, budget: TrainingBudget): TrainingBudget {
  return hasFixedRounds(info) ? 'epochs' : budget;
}

const ADVANCED_COMMON: readonly NumericKey[] = ['width', 'depth', 'dropout', 'fps', 'momentum', 'weightDecay', 'emaDecay', 'mcPasses', 'threads', 'maxStepMemory'];

/** The numeric settings this method reads beyond the shared ones (threshold, λu, μ …). */
export function methodFields(info: MethodInfo): NumberField[] {
  return info.settings.filter((key): key is NumericKey => key in FIELDS).map((key) => FIELDS[key]);
}

export const ADVANCED_FIELDS: readonly NumberField[] = ADVANCED_COMMON.map((key) => FIELDS[key]);
export const VALIDATION_FIELD: NumberField = FIELDS.validationFraction;

/** What the person set; anything missing (or a blank number) follows the method's default. */
export interface FormChoices {
  numbers: Partial<Record<NumericKey, string>>;
  architecture: Architecture | null;
  /** What pretraining learns from (null: the default). */
  pretrainObjective: PretrainObjective | null;
  flexWarmup: boolean | null;
  distributionAlignment: boolean | null;
  flip: boolean | null;
  /** How long it trains (null: the default, until it stops improving). */
  budget: TrainingBudget | null;
  /** VideoSSL's teacher folder as typed or picked ('' : none yet). */
  teacherDir: string;
}

export function emptyChoices(): FormChoices {
  return { numbers: {}, architecture: null, pretrainObjective: null, flexWarmup: null, distributionAlignment: null, flip: null, budget: null, teacherDir: '' };
}

export type BuiltSettings =
  | { ok: true; settings: TrainSettings }
  | {
      ok: false;
      errors: Partial<Record<keyof TrainSettings, string>>;
      message: string;
      /** The errors are only required fields left blank: the form says so when Start is pressed. */
      onlyMissing: boolean;
    };

/** The teacher folder a VideoSSL run needs: the path, or why it will not do. */
function teacherFolder(text: string): { path: string } | { error: string; missing: boolean } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: TEACHER_NEEDED, missing: true };
  // As trainSettingsSchema: the core resolves nothing against its own working folder.
  if (!trimmed.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(trimmed)) {
    return { error: `Teacher model folder: give the full path (“${trimmed}” is relative).`, missing: false };
  }
  return { path: trimmed };
}

/**
 * Settings from the method's defaults plus the person's choices. `rememberedFlip` is the flip
 * choice the project kept from its last run, which wins over the method's default.
 */
export function buildSettings(
  method: TrainingMethod,
  defaults: TrainSettings,
  choices: FormChoices,
  rememberedFlip: boolean,
): BuiltSettings {
  const settings: TrainSettings = { ...defaults, method, budget: choices.budget ?? defaults.budget };
  const errors: Partial<Record<keyof TrainSettings, string>> = {};
  // The other budget's fields are out of view: what was typed there neither applies nor blocks.
  const hidden = new Set(BUDGET_FIELDS[shownBudget(methodInfo[method], settings.budget) === 'epochs' ? 'until-plateau' : 'epochs'].map((f) => f.key));
  for (const [key, text] of Object.entries(choices.numbers) as [NumericKey, string | undefined][]) {
    if (hidden.has(key)) continue;
    const trimmed = text?.trim() ?? '';
    const field = FIELDS[key];
    if (trimmed === '') {
      if (field.nullable) (settings as Record<NumericKey, number | null>)[key] = null;
      continue;
    }
    const value = Number(trimmed);
    const problem = checkNumber(field, value, trimmed);
    if (problem) errors[key] = `${field.label}: ${problem}`;
    else (settings as Record<NumericKey, number | null>)[key] = value;
  }
  if (choices.architecture) settings.architecture = choices.architecture;
  if (choices.pretrainObjective) settings.pretrainObjective = choices.pretrainObjective;
  if (choices.flexWarmup !== null) settings.flexWarmup = choices.flexWarmup;
  if (choices.distributionAlignment !== null) settings.distributionAlignment = choices.distributionAlignment;
  settings.flip = choices.flip ?? rememberedFlip;
  let onlyMissing = Object.keys(errors).length === 0;
  if (methodInfo[method].teacher) {
    const teacher = teacherFolder(choices.teacherDir);
    if ('path' in teacher) settings.teacherDir = teacher.path;
    else {
      errors.teacherDir = teacher.error;
      onlyMissing &&= teacher.missing;
    }
  }
  const first = Object.values(errors)[0];
  return first === undefined ? { ok: true, settings } : { ok: false, errors, message: first, onlyMissing };
}

/** Every numeric field, for checks against the shared schema. */
export const ALL_FIELDS: readonly NumberField[] = Object.values(FIELDS);
