import { z } from 'zod';
import { declareMethod } from './method-declaration.js';

const unit = z.number().min(0).max(1);

export const tcl = declareMethod({
  name: 'tcl',
  title: 'TCL (temporal contrast)',
  summary:
    'Each unlabelled clip seen at its own pace and at double speed should get the same prediction, and differ from other clips; supervised only during the warm-up.',
  settings: ['mu', 'tclWarmup', 'tclFinetune', 'threshold'],
  unlabelledViews: 'weak+double-speed',
  own: {
    /** Share of training on the labelled clips alone before the contrastive losses join. */
    tclWarmup: unit.default(0.1),
    /** Share of training at the end that fine-tunes on confident pseudo-labels (τ) instead of contrasting (0: none). */
    tclFinetune: unit.default(0),
  },
});
