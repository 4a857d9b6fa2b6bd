import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from '../../../../shared/training.js';
import { computeStepGradients, type PseudoLabelRule, type ShardShare, type StepGradients } from '../methods/step-gradients.js';
import type { ExtraHeads } from '../models/extra-heads.js';
import { setDropoutRng } from '../../../engine/worker/layers/mc-dropout.js';
import { Rng } from '../../../engine/random.js';
import { clipSpecOf, stepTensors, type StepBytes, type TrainingStage } from '../train/step-tensors.js';

export interface ShardInput extends StepBytes {
  rule: PseudoLabelRule | null;
  share: ShardShare;
  step: number;
  totalSteps: number;
  /** Seeds the shard's augmentation and dropout, so a shard computes the same wherever it runs. */
  seed: number;
  stage: TrainingStage;
}

/** A shard's gradients at the model's current weights: augments its clips, then forward and backward. */
export async function shardGradients(model: tf.LayersModel, settings: TrainSettings, shard: ShardInput, heads: ExtraHeads): Promise<StepGradients> {
  const rng = new Rng(shard.seed);
  setDropoutRng(model, rng);
  const tensors = stepTensors(shard, clipSpecOf(settings), settings, rng, shard.stage);
  try {
    return await computeStepGradients({
      model,
      settings,
      labelled: tensors.labelled,
      unlabelledWeak: tensors.weak,
      unlabelledStrong: tensors.strong,
      unlabelledAux: tensors.aux,
      step: shard.step,
      totalSteps: shard.totalSteps,
      rule: shard.rule,
      share: shard.share,
      targets: shard.unlabelledTargets ?? null,
      teacher: shard.teacher ?? null,
      heads,
      stage: shard.stage,
    });
  } finally {
    tf.dispose(tensors.owned);
  }
}
