/**
 * FreeMatch: FixMatch's loss with self-adaptive per-class thresholds (Wang et al., ICLR 2023;
 * freematch-thresholds.ts) and the self-adaptive fairness term w_f · L_f (fairness-loss.ts).
 */
import { methodInfo } from '../../../../shared/training.js';
import { weakStrongLoss } from './fixmatch.js';
import { FreeMatchThresholds } from './freematch-thresholds.js';
import type { MethodModule } from './method-module.js';

export const freeMatchMethod: MethodModule = {
  info: methodInfo.freematch,
  rule: (settings, thresholds) => {
    if (!(thresholds instanceof FreeMatchThresholds)) throw new Error('freematch needs its FreeMatchThresholds');
    return {
      kind: 'per-class',
      thresholds: thresholds.classThresholds(),
      fairness: { weight: settings.fairnessWeight, ...thresholds.fairnessReference() },
    };
  },
  loss: weakStrongLoss,
  thresholds: (settings, classes) => new FreeMatchThresholds(classes, settings.freeMatchMomentum),
};
