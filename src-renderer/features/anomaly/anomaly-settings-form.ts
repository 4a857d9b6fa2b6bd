/**
 * The anomaly training form without the DOM: its fields, and the settings (or the errors) that
 * what a person typed over the defaults makes. The bounds mirror anomalySettingsSchema (a unit test
 * keeps them equal) so the renderer bundle needs no zod; the core validates again.
 */
import type { AnomalySettings } from '../../../src-main/shared/anomaly.js';
import { checkNumber, type NumberFieldSpec } from '../common/number-field.js';

/** windowStride (a frame override) is the CLI's: the form sets the stride in seconds. */
export type AnomalyNumericKey = Exclude<keyof AnomalySettings, 'channels' | 'teacherDir' | 'windowStride' | 'followObjects'>;

export interface AnomalyField extends NumberFieldSpec {
  key: AnomalyNumericKey;
}

const FIELDS: Record<AnomalyNumericKey, AnomalyField> = {
  epochs: { key: 'epochs', label: 'Epochs', hint: 'Passes over the training tubes.', min: 1, max: 1000, integer: true },
  maxTubes: { key: 'maxTubes', label: 'Training tubes (at most)', hint: 'A uniform sample of the normal footage’s tubes.', min: 1, max: 100_000, integer: true },
  size: { key: 'size', label: 'Tube size (px)', hint: 'S: each region becomes a 7-frame S×S tube (a multiple of 2^depth).', min: 8, max: 256, integer: true },
  longSide: { key: 'longSide', label: 'Frame long side (px)', hint: 'Frames are decoded at most this large before regions are cut.', min: 32, max: 4096, integer: true },
  batchSize: { key: 'batchSize', label: 'Batch size', hint: 'Source tubes per step; each task gets one sample from each.', min: 1, max: 512, integer: true },
  learningRate: { key: 'learningRate', label: 'Learning rate', hint: 'Adam’s step size.', min: 0, max: 1, above: true },
  width: { key: 'width', label: 'Width', hint: 'Channels of the encoder’s first block.', min: 1, max: 128, integer: true },
  depth: { key: 'depth', label: 'Depth', hint: 'Encoder blocks; each halves the tube side.', min: 1, max: 5, integer: true },
  windowStrideSeconds: { key: 'windowStrideSeconds', label: 'Window stride (s)', hint: 'Seconds between the starts of neighbouring training windows.', min: 0, max: 60, above: true },
  sampleFps: {
    key: 'sampleFps',
    label: 'Frames a second seen (fps)',
    hint: 'Every k-th frame is kept, k = round(video fps / this), so windows span the same time at any camera rate; scoring samples the same way. 0: every frame.',
    min: 0,
    max: 240,
  },
  seed: { key: 'seed', label: 'Seed', hint: 'Same seed and footage, same run.', min: 0, max: 2 ** 31 - 1, integer: true },
  threads: { key: 'threads', label: 'CPU threads', hint: 'Threads each step is split across without a GPU (0: the preferences’ count, one per core by default).', min: 0, max: 64, integer: true },
};

export const MAIN_FIELDS: readonly AnomalyField[] = [FIELDS.epochs, FIELDS.maxTubes, FIELDS.size, FIELDS.longSide];
export const ADVANCED_FIELDS: readonly AnomalyField[] = [
  FIELDS.batchSize,
  FIELDS.learningRate,
  FIELDS.width,
  FIELDS.depth,
  FIELDS.sampleFps,
  FIELDS.windowStrideSeconds,
  FIELDS.seed,
  FIELDS.threads,
];
export const ALL_ANOMALY_FIELDS: readonly AnomalyField[] = Object.values(FIELDS);

export interface AnomalyChoices {
  numbers: Partial<Record<AnomalyNumericKey, string>>;
  channels: 1 | 3 | null;
  /** Whether tubes follow their object (null: the default). */
  followObjects: boolean | null;
  /** A TF.js image model folder to distil ('' for none). */
  teacherDir: string;
}

export function emptyAnomalyChoices(): AnomalyChoices {
  return { numbers: {}, channels: null, followObjects: null, teacherDir: '' };
}

export type BuiltAnomalySettings =
  | { ok: true; settings: AnomalySettings }
  | { ok: false; errors: Partial<Record<keyof AnomalySettings, string>>; message: string };

export function buildAnomalySettings(defaults: AnomalySettings, choices: AnomalyChoices): BuiltAnomalySettings {
  const settings: AnomalySettings = { ...defaults };
  const errors: Partial<Record<keyof AnomalySettings, string>> = {};
  for (const [key, text] of Object.entries(choices.numbers) as [AnomalyNumericKey, string | undefined][]) {
    const trimmed = text?.trim() ?? '';
    if (trimmed === '') continue;
    const field = FIELDS[key];
    const value = Number(trimmed);
    const problem = checkNumber(field, value, trimmed);
    if (problem) errors[key] = `${field.label}: ${problem}`;
    else settings[key] = value;
  }
  if (choices.channels !== null) settings.channels = choices.channels;
  if (choices.followObjects !== null) settings.followObjects = choices.followObjects;
  const teacher = choices.teacherDir.trim();
  if (teacher !== '') settings.teacherDir = teacher;
  if (errors.size === undefined && errors.depth === undefined && settings.size % 2 ** settings.depth !== 0) {
    errors.size = `Tube size: a multiple of ${2 ** settings.depth} is needed with depth ${settings.depth}.`;
  }
  const first = Object.values(errors)[0];
  return first === undefined ? { ok: true, settings } : { ok: false, errors, message: first };
}
