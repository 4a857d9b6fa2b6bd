/**
 * FlexMatch: FixMatch's loss with a threshold per class (Zhang et al. 2021), each clip's latest confident
 * prediction counted per class and the thresholds raised as a class is learnt (flexmatch-thresholds.ts).
 */
import { methodInfo } from '../../../../shared/training.js';
import { weakStrongLoss } from './fixmatch.js';
import { FlexMatchThresholds } from './flexmatch-thresholds.js';
import type { MethodModule } from './method-module.js';

export const flexMatchMethod: MethodModule = {
  info: methodInfo.flexmatch,
  rule: (_settings, thresholds) => {
    if (!(thresholds instanceof FlexMatchThresholds)) throw new Error('flexmatch needs its FlexMatchThresholds');
    return { kind: 'per-class', thresholds: thresholds.classThresholds() };
  },
  loss: weakStrongLoss,
  thresholds: (settings, classes, unlabelledCount) => new FlexMatchThresholds(unlabelledCount, classes, settings.threshold, settings.flexWarmup),
};
