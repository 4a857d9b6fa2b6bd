import { declareMethod } from './method-declaration.js';

export const supervised = declareMethod({
  name: 'supervised',
  title: 'Supervised',
  summary: 'Learns from the labelled clips only: the baseline every other method should beat.',
  unlabelledViews: 'none',
});
