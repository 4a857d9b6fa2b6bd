/** Supervised-only: the labelled clips' cross-entropy, the baseline every other method should beat. */
import { methodInfo } from '../../../../shared/training.js';
import { labelledOnlyLoss } from './loss-terms.js';
import type { MethodModule } from './method-module.js';

export const supervisedMethod: MethodModule = {
  info: methodInfo.supervised,
  lambdaU: () => 0,
  loss: labelledOnlyLoss,
};
