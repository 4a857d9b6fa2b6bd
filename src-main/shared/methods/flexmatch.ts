import { z } from 'zod';
import { distributionAlignmentSetting } from './distribution-alignment.js';
import { declareMethod } from './method-declaration.js';

export const flexMatch = declareMethod({
  name: 'flexmatch',
  title: 'FlexMatch',
  summary: 'FixMatch with a threshold per class that rises as the class is learnt; starts at 0, so early epochs are noisy.',
  settings: ['threshold', 'lambdaU', 'mu', 'flexWarmup', 'distributionAlignment'],
  unlabelledViews: 'weak+strong',
  perClassThresholds: true,
  own: {
    /** Count not-yet-predicted clips as a class of their own (the published warm-up). */
    flexWarmup: z.boolean().default(true),
    ...distributionAlignmentSetting,
  },
});
