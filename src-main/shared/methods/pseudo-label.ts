import { z } from 'zod';
import { declareMethod } from './method-declaration.js';

export const pseudoLabel = declareMethod({
  name: 'pseudolabel',
  title: 'Pseudo-label',
  summary: 'Trains on its own confident predictions for unlabelled clips (a hard threshold), ramped in slowly.',
  settings: ['threshold', 'lambdaU', 'mu', 'unsupervisedWarmup'],
  unlabelledViews: 'weak',
  own: {
    /** Share of training over which λu ramps up from 0. */
    unsupervisedWarmup: z.number().min(0).max(1).default(0.4),
  },
});
