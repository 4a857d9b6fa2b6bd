import { z } from 'zod';
import { distributionAlignmentSetting } from './distribution-alignment.js';
import { declareMethod } from './method-declaration.js';

/** FreeMatch (Wang et al., ICLR 2023); defaults from the paper, w_f = 0.01 being its value for the fewest labels (0.001 otherwise). */
export const freeMatch = declareMethod({
  name: 'freematch',
  title: 'FreeMatch',
  summary:
    'FixMatch with thresholds that follow the model’s own confidence (low while it is unsure, per class), and a term that keeps its predictions spread over the classes.',
  settings: ['lambdaU', 'mu', 'freeMatchMomentum', 'fairnessWeight', 'distributionAlignment'],
  unlabelledViews: 'weak+strong',
  perClassThresholds: true,
  own: {
    /** λ: momentum of the running confidence (global threshold) and of the per-class mean prediction. */
    freeMatchMomentum: z.number().min(0).max(0.99999).default(0.999),
    /** w_f: weight of the self-adaptive fairness term. */
    fairnessWeight: z.number().min(0).max(10).default(0.01),
    ...distributionAlignmentSetting,
  },
});
