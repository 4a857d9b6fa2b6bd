import { expect, it } from 'vitest';
import { Rng } from '../../../engine/random.js';
import { planEpoch, stepsPerEpoch } from './epoch-plan.js';

it('an epoch is one pass over the unlabelled clips, or the labelled ones if that is longer', () => {
  expect(stepsPerEpoch({ labelled: 20, unlabelled: 600, batchSize: 8, mu: 7 })).toBe(11);
  expect(stepsPerEpoch({ labelled: 100, unlabelled: 56, batchSize: 8, mu: 7 })).toBe(13);
  expect(stepsPerEpoch({ labelled: 3, unlabelled: 0, batchSize: 8, mu: 7 })).toBe(1);
});

it('every step gets B labelled and μB unlabelled clips, and every unlabelled clip comes up once per epoch', () => {
  const shape = { labelled: 5, unlabelled: 112, batchSize: 4, mu: 7 };
  const steps = planEpoch(new Rng(1), shape);
  expect(steps).toHaveLength(4);
  for (const step of steps) {
    expect(step.labelled).toHaveLength(4);
    expect(step.unlabelled).toHaveLength(28);
  }
  expect(steps.flatMap((s) => s.unlabelled).sort((a, b) => a - b)).toEqual(Array.from({ length: 112 }, (_, i) => i));
  const labelled = steps.flatMap((s) => s.labelled);
  for (let i = 0; i < 5; i++) expect(labelled.filter((x) => x === i).length).toBeGreaterThanOrEqual(3);
});

it('supervised-only plans no unlabelled clips, and the same seed plans the same epoch', () => {
  const shape = { labelled: 10, unlabelled: 0, batchSize: 4, mu: 7 };
  const a = planEpoch(new Rng(5), shape);
  expect(a.every((s) => s.unlabelled.length === 0)).toBe(true);
  expect(planEpoch(new Rng(5), shape)).toEqual(a);
});

it('supervised-only takes as many steps per epoch as the semi-supervised methods, for equal budgets', () => {
  const semi = { labelled: 20, unlabelled: 600, batchSize: 8, mu: 7 };
  const supervised = { ...semi, unlabelled: 0, epochUnlabelled: 600 };
  expect(stepsPerEpoch(supervised)).toBe(stepsPerEpoch(semi));
  expect(stepsPerEpoch(supervised)).toBe(11);
  expect(planEpoch(new Rng(1), supervised).every((s) => s.unlabelled.length === 0 && s.labelled.length === 8)).toBe(true);
});
