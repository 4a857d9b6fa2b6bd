import * as tf from '@tensorflow/tfjs';
import { EmaWeights } from '../methods/ema-weights.js';
import { classThresholdsFromJSON, type ClassThresholds } from '../methods/class-thresholds.js';
import { DistributionAlignment } from '../methods/distribution-alignment.js';
import { SvtCentre } from '../methods/svt-loss.js';
import { freshPseudoLabelState } from '../methods/train-step.js';
import { createOptimizer } from '../methods/optimizer.js';
import { buildModel } from '../models/build-model.js';
import { NO_HEADS, type ExtraHeads } from '../models/extra-heads.js';
import { modelSpecFromSettings } from '../models/model-spec.js';
import { Rng } from '../../../engine/random.js';
import type { RunConfig } from '../../jobs.js';
import type { Checkpoint, CheckpointState } from './checkpoint-file.js';
import type { UpsState } from './ups-round.js';
import { methodModule } from '../methods/registry.js';
import { roundsOf } from '../../../../shared/training.js';
import {
  checkCheckpointShapes,
  fromCheckpointTensor,
  modelTensors,
  optimizerTensors,
  restoreModelTensors,
  restoreOptimizerTensors,
  toCheckpointTensor,
} from '../../../engine/worker/checkpoint/checkpoint-tensors.js';

/** Everything a run trains and carries from step to step; `dispose` frees every tensor it holds. */
export interface TrainingParts {
  model: tf.LayersModel;
  optimizer: tf.MomentumOptimizer;
  ema: EmaWeights;
  /** The method's per-class thresholds (FlexMatch, FreeMatch); null for other methods. */
  thresholds: ClassThresholds | null;
  /** Distribution alignment; null when the settings leave it off. */
  alignment: DistributionAlignment | null;
  /** UPS: what the current round trains on; null for other methods. */
  ups: UpsState | null;
  /** SVT pretraining's running centre of its teacher's outputs (the teacher's weights are `ema`); null otherwise. */
  svtCentre: SvtCentre | null;
  rng: Rng;
}

/** What the weights fit: a checkpoint made for other settings cannot be resumed with these. */
export function runFingerprint(config: RunConfig, heads: ExtraHeads = NO_HEADS): string {
  const s = config.settings;
  const method = methodModule(s.method);
  return JSON.stringify({
    method: s.method,
    architecture: s.architecture,
    width: s.width,
    depth: s.depth,
    frames: s.frames,
    size: s.size,
    fps: s.fps,
    classes: config.classes.map((c) => c.id),
    // Per-clip state (FlexMatch's thresholds, UPS's selection) is sized by the unlabelled clips.
    unlabelled: method.thresholds !== undefined || method.rounds !== undefined ? config.unlabelled.length : null,
    // Rounds are `epochs` long: other settings would put the round boundaries elsewhere.
    rounds: method.rounds !== undefined ? { rounds: roundsOf(s), epochs: s.epochs } : null,
    heads,
    // The first epochs pretrain: another count moves the method's epochs and changes what the weights are.
    pretrainEpochs: s.pretrainEpochs,
    // Only when it is SVT, so that checkpoints made before the choice (contrast) keep their fingerprint.
    ...(s.pretrainEpochs > 0 && s.pretrainObjective === 'svt' ? { pretrainObjective: 'svt' } : {}),
  });
}

/** Fresh parts; round r ≥ 1 of a method with rounds starts from other random weights (UPS's paper re-initialises every round). */
export function createTrainingParts(config: RunConfig, unlabelledCount: number, round = 0, heads: ExtraHeads = NO_HEADS): TrainingParts {
  const s = config.settings;
  const rng = new Rng(s.seed + 104729 * round);
  const model = buildModel(modelSpecFromSettings(s, config.classes.length, heads), { seed: rng.seed() });
  const optimizer = createOptimizer(s);
  const ema = new EmaWeights(model, s.emaDecay);
  const method = methodModule(s.method);
  const labelledClasses = config.train.map((clip) => clip.classIndex);
  const { thresholds, alignment } = freshPseudoLabelState(s, config.classes.length, unlabelledCount, labelledClasses);
  const ups = method.rounds?.initial(config) ?? null;
  const svtCentre = s.pretrainEpochs > 0 && s.pretrainObjective === 'svt' && heads.projection > 0 ? SvtCentre.zeros(heads.projection) : null;
  return { model, optimizer, ema, thresholds, alignment, ups, svtCentre, rng };
}

export function disposeOptimizer(optimizer: tf.MomentumOptimizer): void {
  optimizer.dispose();
  // tfjs 4.22: MomentumOptimizer.dispose() skips SGDOptimizer's learning-rate scalar `c`, one tensor per run.
  (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
}

export function disposeTrainingParts(parts: TrainingParts): void {
  parts.ema.dispose();
  disposeOptimizer(parts.optimizer);
  parts.model.dispose();
}

/**
 * After self-supervised pretraining the method starts from the pretrained weights with a fresh optimizer
 * (no momentum from the pretraining loss) and an EMA that starts at those weights (during SVT pretraining the EMA was its teacher).
 */
export function restartFromCurrentWeights(parts: TrainingParts, config: RunConfig): void {
  parts.ema.dispose();
  disposeOptimizer(parts.optimizer);
  parts.optimizer = createOptimizer(config.settings);
  parts.ema = new EmaWeights(parts.model, config.settings.emaDecay);
}

/** The parts' state as a checkpoint (copies: the parts go on training). */
export async function checkpointOf(parts: TrainingParts, state: Omit<CheckpointState, 'rng' | 'emaUpdates' | 'flex' | 'freematch' | 'alignment' | 'ups' | 'svtCentre'>): Promise<Checkpoint> {
  const thresholds = parts.thresholds?.toJSON() ?? null;
  const ema = await Promise.all(parts.ema.tensors().map((t, i) => toCheckpointTensor(parts.model.weights[i]?.originalName ?? String(i), t)));
  return {
    state: {
      ...state,
      rng: parts.rng.snapshot,
      emaUpdates: parts.ema.updates,
      flex: thresholds !== null && !('kind' in thresholds) ? thresholds : null,
      freematch: thresholds !== null && 'kind' in thresholds ? thresholds : null,
      alignment: parts.alignment?.toJSON() ?? null,
      ups: parts.ups,
      svtCentre: parts.svtCentre?.toJSON() ?? null,
    },
    tensors: { model: await modelTensors(parts.model), ema, optimizer: await optimizerTensors(parts.optimizer) },
  };
}

/** Puts a checkpoint's weights, EMA (SVT's teacher while pretraining), optimizer state (one momentum per weight), per-class thresholds, distribution alignment, SVT's centre and random generator into the parts. */
export async function restoreTrainingParts(parts: TrainingParts, checkpoint: Checkpoint): Promise<void> {
  const { model, ema, optimizer } = checkpoint.tensors;
  checkCheckpointShapes('EMA', ema, parts.model.weights.map((w) => w.shape.map((d) => d ?? -1)));
  restoreModelTensors(parts.model, model);
  const emaTensors = ema.map(fromCheckpointTensor);
  parts.ema.load(emaTensors, checkpoint.state.emaUpdates);
  tf.dispose(emaTensors);
  await restoreOptimizerTensors(parts.optimizer, optimizer, parts.model, 1);
  const thresholds = checkpoint.state.flex ?? checkpoint.state.freematch ?? null;
  if (thresholds !== null) {
    if (parts.thresholds === null) throw new Error('The checkpoint holds per-class thresholds (FlexMatch, FreeMatch) but this run\'s method has none.');
    parts.thresholds = classThresholdsFromJSON(thresholds);
  }
  const alignment = checkpoint.state.alignment ?? null;
  if (alignment !== null) {
    if (parts.alignment === null) throw new Error('The checkpoint holds distribution alignment state but this run does not align.');
    parts.alignment = DistributionAlignment.fromJSON(alignment);
  }
  if (parts.ups !== null && checkpoint.state.ups != null) parts.ups = checkpoint.state.ups;
  const svtCentre = checkpoint.state.svtCentre ?? null;
  if (svtCentre !== null && parts.svtCentre !== null) parts.svtCentre = SvtCentre.fromJSON(svtCentre);
  parts.rng = Rng.restore(checkpoint.state.rng);
}
