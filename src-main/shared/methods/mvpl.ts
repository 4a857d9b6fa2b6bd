import { declareMethod } from './method-declaration.js';

export const mvpl = declareMethod({
  name: 'mvpl',
  title: 'MvPL (multi-view)',
  summary:
    'FixMatch over three views of each clip (colour, temporal gradient, optical flow): their averaged predictions label every view. About 3× the time a step; predicts from colour alone.',
  settings: ['threshold', 'lambdaU', 'mu'],
  unlabelledViews: 'weak+strong',
  clipViews: 3,
});
