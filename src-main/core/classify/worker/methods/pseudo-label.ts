/**
 * Pseudo-label (USB style): pseudo-labels from the same weak forward that gets the loss (targets detached),
 * λu ramped in over `unsupervisedWarmup` of the run.
 */
import { methodInfo } from '../../../../shared/training.js';
import { unsupervisedRamp } from './learning-rate.js';
import { selfTrainingLoss } from './loss-terms.js';
import type { MethodModule } from './method-module.js';

export const pseudoLabelMethod: MethodModule = {
  info: methodInfo.pseudolabel,
  lambdaU: (settings, step, totalSteps) => settings.lambdaU * unsupervisedRamp(step, totalSteps, settings.unsupervisedWarmup),
  loss: selfTrainingLoss,
};
