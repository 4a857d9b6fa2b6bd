/**
 * Exporting the labelled clips as a dataset to train on elsewhere (MMAction2 on a cluster): the
 * API's params and the job's report, shared by the core, the CLI and the renderer.
 */
import { z } from 'zod';
import { absolutePath } from './absolute-path.js';
import { trainSettingsSchema } from './training.js';

export const datasetFormats = ['mmaction', 'kinetics-folders'] as const;
export type DatasetFormat = (typeof datasetFormats)[number];

const defaults = trainSettingsSchema.in.shape;

export const datasetExportParamsSchema = z
  .object({
    /** The folder to write; it must not exist yet or be empty. */
    dir: absolutePath,
    format: z.enum(datasetFormats, { message: `The format is one of ${datasetFormats.join(', ')}.` }),
    /** Also export the clips this run's review accepted (labels with source `review`). */
    pseudoLabelRunId: z.number().int().positive().optional(),
    /** Only accepted pseudo-labels whose prediction was at least this confident. */
    minConfidence: z.number().min(0).max(1).default(0),
    /** The split and the input spec, as a training run of the app would use them. */
    validationFraction: defaults.validationFraction,
    seed: defaults.seed,
    frames: defaults.frames,
    size: defaults.size,
    /** The config's name: configs/<name>_r2plus1d.py. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'A dataset name is letters, digits, _ and - (at most 64).')
      .default('vssl'),
  })
  .strict();

export type DatasetExportParams = z.input<typeof datasetExportParamsSchema>;

/** A source video or a clip that did not make it into the dataset, and why. */
export interface DatasetSkip {
  path: string;
  /** The clip's frames [start, end), or null when the whole video was skipped. */
  frames: [number, number] | null;
  reason: string;
}

/** What a dataset export job wrote (the job's result). */
export interface DatasetExportSummary {
  kind: 'dataset-export';
  dir: string;
  format: DatasetFormat;
  classes: string[];
  train: number;
  validation: number;
  /** Clips cut by stream copy (they start on a keyframe and end on one) and by re-encoding. */
  copied: number;
  reencoded: number;
  /** Clips whose label came from an accepted pseudo-label of the named run. */
  pseudoLabels: number;
  config: string;
  skipped: DatasetSkip[];
}
