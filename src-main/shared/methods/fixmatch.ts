import { distributionAlignmentSetting } from './distribution-alignment.js';
import { declareMethod } from './method-declaration.js';

export const fixMatch = declareMethod({
  name: 'fixmatch',
  title: 'FixMatch',
  summary: 'A confident prediction on a lightly augmented clip becomes the target for a heavily augmented copy.',
  settings: ['threshold', 'lambdaU', 'mu', 'distributionAlignment'],
  unlabelledViews: 'weak+strong',
  own: { ...distributionAlignmentSetting },
});
