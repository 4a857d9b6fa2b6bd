import { z } from 'zod';
import { declareMethod } from './method-declaration.js';

const unit = z.number().min(0).max(1);

export const ups = declareMethod({
  name: 'ups',
  title: 'UPS (uncertainty-aware)',
  summary:
    'Rounds: train, then keep only pseudo-labels that are confident and certain under MC-dropout (and "surely not" labels, your rejections too), then train again from scratch. Each round costs a full training.',
  settings: ['upsRounds', 'upsTauP', 'upsKappaP', 'upsTauN', 'upsKappaN', 'lambdaU', 'mu'],
  unlabelledViews: 'weak',
  own: {
    /** Rounds of training (the first on the labelled clips alone), each of `epochs` epochs from fresh weights. */
    upsRounds: z.number().int().min(2).max(20).default(3),
    /** A positive pseudo-label needs MC-dropout mean ≥ τp and std < κp on its class. */
    upsTauP: unit.default(0.7),
    upsKappaP: unit.default(0.05),
    /** "Surely not class c" when its mean < τn and std < κn. */
    upsTauN: unit.default(0.05),
    upsKappaN: unit.default(0.005),
  },
  rounds: (own) => own.upsRounds,
});
