/**
 * How a step splits across threads (data parallelism): each shard takes an even part of the labelled and of
 * the unlabelled clips and computes its gradients with its own batch-norm statistics (as PyTorch's
 * DistributedDataParallel does per GPU); the shards' gradients add up to the step's.
 */
import { methodInfo, type TrainSettings, type UnlabelledViews } from '../../../../shared/training.js';
import type { ShardShare } from '../methods/step-gradients.js';
import { pretrainPasses } from '../methods/pretrain.js';
import type { StepBytes, TrainingStage } from '../train/step-tensors.js';
import type { StepShape } from './step-memory.js';
import { MIN_ROWS_PER_SHARD, splitEvenly } from '../../../engine/worker/parallel/thread-split.js';

export { MIN_ROWS_PER_SHARD, splitEvenly, trainingThreads } from '../../../engine/worker/parallel/thread-split.js';

/** Forward passes of each unlabelled clip a step makes, by what the method asks for. */
const UNLABELLED_PASSES: Record<UnlabelledViews, number> = { none: 0, weak: 1, 'weak+strong': 2, 'weak+double-speed': 2 };

type StepSettings = Pick<TrainSettings, 'method' | 'batchSize' | 'mu'> & Partial<Pick<TrainSettings, 'pretrainObjective'>>;

/** Rows a pretraining step runs per clip (settings without an objective: the contrast's). */
function pretrainRows(settings: StepSettings): number {
  return pretrainPasses(settings.pretrainObjective ?? 'contrast');
}

/**
 * Rows one step runs through the network: B labelled, plus μB weak views, plus μB strong (fixmatch, flexmatch,
 * mvpl) or double-speed (tcl) views, all of it per view for mvpl. A pretraining step runs every clip three times
 * (contrast: as it is, at double speed, backwards) or once per student view (svt).
 */
export function rowsPerStep(settings: StepSettings, stage: TrainingStage = 'train'): number {
  if (stage === 'pretrain') return pretrainRows(settings) * settings.batchSize * (1 + settings.mu);
  const { unlabelledViews, clipViews } = methodInfo[settings.method];
  const perUnlabelled = UNLABELLED_PASSES[unlabelledViews];
  return clipViews * settings.batchSize * (1 + perUnlabelled * settings.mu);
}

/** The clips a step holds and the rows each kind runs through the network (the memory plan splits by them). */
export function stepShape(settings: StepSettings, stage: TrainingStage, shards: number): StepShape {
  const unlabelled = settings.batchSize * settings.mu;
  if (stage === 'pretrain') return { labelled: settings.batchSize, unlabelled, rowsPerLabelled: pretrainRows(settings), rowsPerUnlabelled: pretrainRows(settings), shards };
  const { unlabelledViews, clipViews } = methodInfo[settings.method];
  const passes = UNLABELLED_PASSES[unlabelledViews];
  return { labelled: settings.batchSize, unlabelled: passes > 0 ? unlabelled : 0, rowsPerLabelled: clipViews, rowsPerUnlabelled: clipViews * passes, shards };
}

/** Shards per step: one per thread, as long as each keeps MIN_ROWS_PER_SHARD rows and one labelled clip. */
export function shardsPerStep(settings: StepSettings, threads: number, stage: TrainingStage = 'train'): number {
  const byRows = Math.floor(rowsPerStep(settings, stage) / MIN_ROWS_PER_SHARD);
  return Math.max(1, Math.min(threads, byRows, settings.batchSize));
}

export interface StepShard extends StepBytes {
  /** Positions of this shard's unlabelled clips in the run's unlabelled set (FlexMatch). */
  unlabelledIndices: number[];
  share: ShardShare;
}

/**
 * Splits a step's clips into at most `parts` shards, each holding an even part of the labelled clips and one
 * of the unlabelled ones. A step with unlabelled clips gets at most one shard per unlabelled clip, so that
 * every shard has its unlabelled terms; past one shard per labelled clip, the later shards hold unlabelled
 * clips only (their labelled share is 0). A step without unlabelled clips gets at most one per labelled clip.
 */
export function splitStep(batch: StepBytes & { unlabelledIndices: number[] }, parts: number): StepShard[] {
  const hasUnlabelled = batch.unlabelled.length > 0;
  const count = Math.max(1, Math.min(parts, hasUnlabelled ? batch.unlabelled.length : batch.labelled.length));
  const labelled = splitEvenly(batch.labelled, count);
  const labels = splitEvenly(batch.labels, count);
  const unlabelled = splitEvenly(batch.unlabelled, count);
  const indices = splitEvenly(batch.unlabelledIndices, count);
  const targets = batch.unlabelledTargets ?? null;
  const targetLabels = splitEvenly(targets?.labels ?? [], count);
  const targetNegatives = splitEvenly(targets?.negatives ?? [], count);
  const teacher = batch.teacher ?? null;
  const teacherLabelled = splitEvenly(teacher?.labelled ?? [], count);
  const teacherUnlabelled = splitEvenly(teacher?.unlabelled ?? [], count);
  return labelled.map((clips, i) => {
    const unlabelledClips = unlabelled[i] ?? [];
    return {
      labelled: clips,
      labels: labels[i] ?? [],
      unlabelled: unlabelledClips,
      unlabelledIndices: indices[i] ?? [],
      unlabelledTargets: targets === null ? null : { labels: targetLabels[i] ?? [], negatives: targetNegatives[i] ?? [] },
      teacher: teacher === null ? null : { labelled: teacherLabelled[i] ?? [], unlabelled: teacherUnlabelled[i] ?? [] },
      share: {
        labelled: batch.labelled.length > 0 ? clips.length / batch.labelled.length : 0,
        unlabelled: hasUnlabelled ? unlabelledClips.length / batch.unlabelled.length : 0,
        clips: (clips.length + unlabelledClips.length) / (batch.labelled.length + batch.unlabelled.length),
      },
    };
  });
}
