/**
 * The review contract: how the pseudo-label queue is ordered and filtered, what a person can do
 * to a predicted clip, and what the app learns from their decisions.
 */
import { z } from 'zod';

/**
 * Which clips come first. Uncertainty strategies put the clips the model is least sure of
 * first (most useful to label); `confident` puts the surest first, for fast bulk acceptance.
 */
export const acquisitionStrategies = ['least-confidence', 'margin', 'entropy', 'mc-std', 'bald', 'badge', 'random', 'confident'] as const;
export type AcquisitionStrategy = (typeof acquisitionStrategies)[number];

export const acquisitionInfo: Record<AcquisitionStrategy, { name: string; idea: string }> = {
  'least-confidence': { name: 'Least confidence', idea: 'Lowest top probability first.' },
  margin: { name: 'Smallest margin', idea: 'Smallest gap between the two likeliest classes first.' },
  entropy: { name: 'Entropy', idea: 'Most spread-out probabilities first.' },
  'mc-std': { name: 'MC-dropout spread', idea: 'Where dropout passes disagree most on the predicted class first.' },
  bald: {
    name: 'BALD',
    idea: 'Highest mutual information between prediction and weights (dropout passes that disagree, each sure of itself) first.',
  },
  badge: {
    name: 'Uncertain and varied (BADGE)',
    idea: 'Clips the model is unsure of that are also unlike each other, so a round does not spend labels on near-copies of one hard case.',
  },
  random: { name: 'Random', idea: 'A seeded shuffle: the baseline every strategy should beat.' },
  confident: { name: 'Most confident', idea: 'Highest top probability first, to accept the easy ones in bulk.' },
};

export const reviewActions = ['accept', 'correct', 'reject', 'skip'] as const;
export type ReviewAction = (typeof reviewActions)[number];

const id = z.number().int().positive();
const probability = z.number().min(0).max(1);

export const reviewFilterSchema = z
  .object({
    /** Only clips predicted as one of these classes (empty or absent: all). */
    classIds: z.array(id).max(1000).optional(),
    /** Only these clips (the validation clips of a confusion-matrix cell; absent: all), shown even when a person labelled them. */
    clipIds: z.array(id).min(1, 'A clip filter names at least one clip.').max(10_000).optional(),
    minConfidence: probability.default(0),
    maxConfidence: probability.default(1),
    videoId: id.optional(),
    /** Also list clips already decided in review (shown with their decision). */
    includeReviewed: z.boolean().default(true),
  })
  .strict()
  .refine((f) => f.minConfidence <= f.maxConfidence, 'The lowest confidence is above the highest.');
export type ReviewFilter = z.output<typeof reviewFilterSchema>;
export type ReviewFilterInput = z.input<typeof reviewFilterSchema>;

const strategy = z.enum(acquisitionStrategies, { message: `The strategy is one of ${acquisitionStrategies.join(', ')}.` });

/** The queue a person works through; persisted in the project so it survives a restart. */
export const reviewSessionSchema = z
  .object({
    runId: id.nullable(),
    strategy,
    filter: reviewFilterSchema,
    /** Seed of the random strategy's shuffle. */
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    /** The clip on screen. */
    clipId: id.nullable(),
  })
  .strict();
export type ReviewSession = z.output<typeof reviewSessionSchema>;

export const reviewQueueParamsSchema = z
  .object({
    runId: id,
    strategy,
    filter: reviewFilterSchema.default({ minConfidence: 0, maxConfidence: 1, includeReviewed: true }),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(10_000).default(50),
    /** Start the page at this clip instead of `offset` (where a person left off). */
    focusClipId: id.optional(),
  })
  .strict();

export const reviewApplyParamsSchema = z
  .object({
    runId: id,
    clipId: id,
    action: z.enum(reviewActions),
    /** correct: the right class (required); reject: the class that is wrong (default: the predicted one). */
    classId: id.optional(),
  })
  .strict()
  .refine((p) => p.action !== 'correct' || p.classId !== undefined, 'A correction needs the right class.');

export const bulkAcceptParamsSchema = z
  .object({
    runId: id,
    minConfidence: probability,
    filter: reviewFilterSchema.optional(),
  })
  .strict();

/** What the person decided about one predicted clip. */
export interface ReviewDecision {
  action: Exclude<ReviewAction, 'skip'>;
  /** accept/correct: the label given; reject: the class ruled out. */
  classId: number;
  at: string;
}

export interface ReviewItem {
  clipId: number;
  videoId: number;
  videoName: string;
  startFrame: number;
  endFrame: number;
  startSec: number;
  endSec: number;
  predictedClassId: number;
  confidence: number;
  margin: number;
  entropy: number;
  /** MC-dropout std of the predicted class (null when predicted without MC passes). */
  uncertainty: number | null;
  /** BALD mutual information, in nats (null without MC passes). */
  mutualInfo: number | null;
  /** The acquisition score the queue is ordered by (higher first). */
  score: number;
  /** In the run's class order. */
  probs: { classId: number; p: number }[];
  /** The latest decision in review for this run, if any. */
  decision: ReviewDecision | null;
  /** The clip's label now (from any source) and the classes ruled out for it. */
  labelClassId: number | null;
  rejectedClassIds: number[];
}

export interface ReviewQueuePage {
  runId: number;
  strategy: AcquisitionStrategy;
  /** Items in the queue (the filter applied). */
  total: number;
  /** Items without a decision yet. */
  pending: number;
  offset: number;
  items: ReviewItem[];
  /** Clips left out because a person (or an import) labelled them: never overwritten by a prediction. */
  humanLabelled: number;
}

export interface BulkAcceptPreview {
  runId: number;
  minConfidence: number;
  total: number;
  perClass: { classId: number; count: number }[];
}

export interface BulkAcceptReport extends BulkAcceptPreview {
  /** The history entry that undoes it. */
  historyId: number | null;
}

/** How far the run's confidence can be trusted, from what people decided in review. */
export interface ReviewQuality {
  runId: number;
  reviewed: number;
  perClass: { classId: number; reviewed: number; accepted: number; corrected: number; rejected: number; acceptanceRate: number | null }[];
  /** Confidence bins [lo, hi): how many reviewed and the share accepted as predicted. */
  reliability: { lo: number; hi: number; count: number; accepted: number; meanConfidence: number | null; acceptedShare: number | null }[];
  /** Expected calibration error over the bins (null before any review). */
  calibrationError: number | null;
}

/** One round of the active-learning loop: a run, how many labels it learned from, how well it did. */
export interface RoundDto {
  runId: number;
  parentRunId: number | null;
  /** The run whose trained weights this round started from (null: fresh weights). */
  warmStartRunId: number | null;
  name: string;
  method: string;
  status: string;
  /** Labelled clips the run trained and validated on (human + import + review). */
  labels: number;
  /** Of those, labels that came from review. */
  reviewLabels: number;
  validationAccuracy: number | null;
  finishedAt: string | null;
}
