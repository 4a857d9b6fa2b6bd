import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from './run-dto.js';
import { defaultTrainSettings, methodEpochsOf, totalEpochsOf, trainSettingsSchema } from './training.js';
import { describeStop, plateauAfter, plateauOf, stopOf, watchedMetricOf, type PlateauRule } from './training-budget.js';

const rule: PlateauRule = { patience: 3, minImprovement: 0.01, minEpochs: 1 };

/** The epoch (1-based) at which the rule stops a run that sees `values` one per epoch; null when it never does. */
function stopEpoch(values: number[], r: PlateauRule = rule): number | null {
  for (let n = 1; n <= values.length; n++) if (plateauOf(values.slice(0, n), r)?.stop) return n;
  return null;
}

function epoch(n: number, values: Partial<EpochMetrics> = {}): EpochMetrics {
  return {
    epoch: n,
    step: n * 10,
    lr: 0.03,
    loss: 1,
    supervisedLoss: 1,
    unsupervisedLoss: 0,
    maskRate: 0,
    trainAccuracy: 0,
    validationAccuracy: null,
    validationLoss: null,
    classThresholds: null,
    clipsPerSecond: 1,
    seconds: 1,
    ...values,
  };
}

describe('the plateau rule', () => {
  it('stops `patience` epochs after the best value', () => {
    expect(stopEpoch([0.2, 0.4, 0.5, 0.5, 0.45, 0.5, 0.5])).toBe(6);
    expect(plateauOf([0.2, 0.4, 0.5, 0.5, 0.45, 0.5], rule)).toEqual({ best: 0.5, bestEpoch: 3, stop: true });
  });

  it('keeps going while the metric improves, and never stops on a rising sequence', () => {
    expect(stopEpoch([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])).toBeNull();
  });

  it('counts a rise of no more than minImprovement as no improvement', () => {
    // 0.505 and 0.51 are within 0.01 of 0.5: the best stays at epoch 1.
    expect(stopEpoch([0.5, 0.505, 0.51, 0.51, 0.6])).toBe(4);
    expect(stopEpoch([0.5, 0.505, 0.51, 0.51], { ...rule, minImprovement: 0 })).toBeNull();
  });

  it('does not stop before minEpochs, however flat the metric', () => {
    expect(stopEpoch([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], { ...rule, minEpochs: 6 })).toBe(6);
    expect(stopEpoch([0.5, 0.5, 0.5, 0.5, 0.5], { ...rule, minEpochs: 6 })).toBeNull();
  });

  it('restarts the wait after a late improvement', () => {
    expect(stopEpoch([0.3, 0.3, 0.3, 0.6, 0.6, 0.6, 0.6])).toBe(7);
  });

  it('has no state before the first epoch', () => {
    expect(plateauOf([], rule)).toBeNull();
  });
});

describe('training budgets', () => {
  it('default to until it stops improving, within a ceiling the schedule spans', () => {
    const s = defaultTrainSettings('fixmatch');
    expect(s.budget).toBe('until-plateau');
    expect(methodEpochsOf(s)).toBe(s.maxEpochs);
    expect(totalEpochsOf({ ...s, pretrainEpochs: 5 })).toBe(5 + s.maxEpochs);
  });

  it('read settings that name epochs but no budget (the CLI, runs stored before budgets) as fixed epochs', () => {
    const s = trainSettingsSchema.parse({ method: 'fixmatch', epochs: 7 });
    expect(s.budget).toBe('epochs');
    expect(totalEpochsOf(s)).toBe(7);
    expect(trainSettingsSchema.parse({ method: 'fixmatch', epochs: 7, budget: 'until-plateau' }).budget).toBe('until-plateau');
  });

  it('keep UPS rounds at their fixed epochs: each round starts from fresh weights', () => {
    const ups = defaultTrainSettings('ups');
    expect(ups.budget).toBe('until-plateau');
    expect(totalEpochsOf(ups)).toBe(ups.epochs * ups.upsRounds);
    expect(stopOf(ups, 'ema-validation-accuracy', [epoch(1), epoch(2)], 'last')).toMatchObject({ reason: 'epochs', metric: null });
  });

  it('refuse a patience or ceiling out of range with the setting named', () => {
    const patience = trainSettingsSchema.safeParse({ method: 'fixmatch', patience: 0 });
    expect(patience.success).toBe(false);
    expect(patience.error?.issues[0]?.path).toEqual(['patience']);
    expect(trainSettingsSchema.safeParse({ method: 'fixmatch', maxEpochs: 5000 }).error?.issues[0]?.path).toEqual(['maxEpochs']);
  });
});

describe('the watched metric', () => {
  it('is the EMA model’s validation accuracy with a validation split, else the mask rate, else training accuracy', () => {
    expect(watchedMetricOf(defaultTrainSettings('fixmatch'), true)).toBe('ema-validation-accuracy');
    expect(watchedMetricOf({ ...defaultTrainSettings('fixmatch'), emaDecay: 0 }, true)).toBe('validation-accuracy');
    expect(watchedMetricOf(defaultTrainSettings('fixmatch'), false)).toBe('mask-rate');
    expect(watchedMetricOf(defaultTrainSettings('supervised'), false)).toBe('train-accuracy');
  });

  it('counts only the method’s epochs, not pretraining, and names epochs as the run does', () => {
    const s = { ...defaultTrainSettings('fixmatch'), pretrainEpochs: 2, patience: 2, minEpochs: 1 };
    const history = [
      epoch(1, { stage: 'pretrain' }),
      epoch(2, { stage: 'pretrain' }),
      epoch(3, { validationAccuracy: 0.5 }),
      epoch(4, { validationAccuracy: 0.75 }),
      epoch(5, { validationAccuracy: 0.5 }),
      epoch(6, { validationAccuracy: 0.75 }),
    ];
    expect(plateauAfter(s, 'ema-validation-accuracy', history)).toEqual({ best: 0.75, bestEpoch: 4, stop: true, ceiling: false });
    expect(plateauAfter(s, 'ema-validation-accuracy', history.slice(0, 5))?.stop).toBe(false);
  });
});

describe('why a run stopped', () => {
  const s = { ...defaultTrainSettings('fixmatch'), patience: 10, minEpochs: 1, maxEpochs: 40 };
  const accuracies = Array.from({ length: 34 }, (_, i) => epoch(i + 1, { validationAccuracy: i < 24 ? i / 29.56 : 0.5 }));

  it('says the plateau in a plain sentence', () => {
    const stop = stopOf(s, 'ema-validation-accuracy', accuracies, 'best');
    expect(stop).toMatchObject({ reason: 'plateau', epoch: 34, bestEpoch: 24, patience: 10, weights: 'best' });
    expect(describeStop(stop, s)).toBe(
      'Stopped at epoch 34: validation accuracy had not improved for 10 epochs (best 77.8 % at epoch 24). The model keeps the weights of epoch 24.',
    );
  });

  it('says the ceiling when the metric still rose at the last epoch', () => {
    const rising = Array.from({ length: 40 }, (_, i) => epoch(i + 1, { maskRate: i / 40 }));
    const stop = stopOf(s, 'mask-rate', rising, 'last');
    expect(stop.reason).toBe('ceiling');
    expect(describeStop(stop, s)).toBe('Stopped at epoch 40, the ceiling: mask rate was still improving (best 97.5 % at epoch 40).');
  });

  it('says a fixed budget ran out', () => {
    const fixed = trainSettingsSchema.parse({ method: 'fixmatch', epochs: 3 });
    const stop = stopOf(fixed, 'ema-validation-accuracy', [epoch(1), epoch(2), epoch(3)], 'last');
    expect(stop).toEqual({ reason: 'epochs', epoch: 3, metric: null, bestEpoch: null, best: null, patience: null, weights: 'last' });
    expect(describeStop(stop, fixed)).toBe('Trained all 3 epochs of its fixed budget.');
  });
});
