/**
 * "Until it stops improving": which metric a run watches, the plateau rule that ends it, and why a run
 * stopped, as the engine decides it and the Train view and the CLI say it. No TensorFlow.js here.
 */
import type { EpochMetrics } from './run-dto.js';
import { methodInfo, roundsOf, type TrainSettings } from './training.js';

/**
 * What a run until it stops improving watches: the EMA model's validation accuracy (every method
 * validates with its EMA weights; with an EMA decay of 0 they are the model's own), else, without a
 * validation split, the share of unlabelled clips whose pseudo-label passed (mask rate), else, for a
 * method without unlabelled clips, the accuracy on its training batches.
 */
export const watchedMetrics = ['ema-validation-accuracy', 'validation-accuracy', 'mask-rate', 'train-accuracy'] as const;
export type WatchedMetric = (typeof watchedMetrics)[number];

export function watchedMetricOf(settings: TrainSettings, hasValidation: boolean): WatchedMetric {
  if (hasValidation) return settings.emaDecay > 0 ? 'ema-validation-accuracy' : 'validation-accuracy';
  return methodInfo[settings.method].usesUnlabelled ? 'mask-rate' : 'train-accuracy';
}

export const watchedMetricNames: Record<WatchedMetric, string> = {
  'ema-validation-accuracy': 'validation accuracy',
  'validation-accuracy': 'validation accuracy',
  'mask-rate': 'mask rate',
  'train-accuracy': 'training accuracy',
};

function valueOf(metric: WatchedMetric, epoch: EpochMetrics): number {
  if (metric === 'mask-rate') return epoch.maskRate;
  if (metric === 'train-accuracy') return epoch.trainAccuracy;
  return epoch.validationAccuracy ?? 0;
}

/** The plateau rule's settings. */
export type PlateauRule = Pick<TrainSettings, 'patience' | 'minImprovement' | 'minEpochs'>;

/** Where a sequence of the watched metric stands: its best value, the epoch (1-based) it came at, and whether to stop now. */
export interface PlateauState {
  best: number;
  bestEpoch: number;
  stop: boolean;
}

/**
 * The plateau rule over the watched metric's values, one per epoch of the method: the best is the first
 * value that rises more than `minImprovement` above the best before it; the run stops once it has trained
 * `minEpochs` and `patience` epochs have passed since the best. Null for no epochs.
 */
export function plateauOf(values: readonly number[], rule: PlateauRule): PlateauState | null {
  const first = values[0];
  if (first === undefined) return null;
  let best = first;
  let bestEpoch = 1;
  values.forEach((value, i) => {
    if (value > best + rule.minImprovement) {
      best = value;
      bestEpoch = i + 1;
    }
  });
  const epochs = values.length;
  return { best, bestEpoch, stop: epochs >= rule.minEpochs && epochs - bestEpoch >= rule.patience };
}

/** Why a run stopped training. */
export const stopReasons = ['plateau', 'ceiling', 'epochs', 'cancelled'] as const;
export type StopReason = (typeof stopReasons)[number];

/** Why a run stopped, what it watched and where it was best (epochs count pretraining, as the run's epochs do). */
export interface RunStop {
  reason: StopReason;
  /** The last epoch it trained. */
  epoch: number;
  /** What it watched until it stopped improving; null with a fixed budget. */
  metric: WatchedMetric | null;
  bestEpoch: number | null;
  best: number | null;
  patience: number | null;
  /** Whose weights the saved model holds: the EMA weights of the best epoch, or of the last. */
  weights: 'best' | 'last';
}

/** Whether the run watches a metric and may stop early: until it stops improving, for a method without rounds. */
export function stopsOnPlateau(settings: TrainSettings): boolean {
  return settings.budget === 'until-plateau' && roundsOf(settings) === 1;
}

/**
 * Where a run stands after the epochs in `history` (pretraining included): the plateau (or null while it
 * goes on), and the best epoch so far. Null for a run that does not stop on a plateau or has no method epoch yet.
 */
export function plateauAfter(
  settings: TrainSettings,
  metric: WatchedMetric,
  history: readonly EpochMetrics[],
): (PlateauState & { ceiling: boolean }) | null {
  if (!stopsOnPlateau(settings)) return null;
  const own = history.filter((e) => e.stage !== 'pretrain');
  const state = plateauOf(
    own.map((e) => valueOf(metric, e)),
    settings,
  );
  if (state === null) return null;
  return { ...state, bestEpoch: state.bestEpoch + settings.pretrainEpochs, ceiling: own.length >= settings.maxEpochs };
}

/** Why a run that trained `history` to its end stopped. */
export function stopOf(settings: TrainSettings, metric: WatchedMetric, history: readonly EpochMetrics[], weights: RunStop['weights']): RunStop {
  const epoch = history.at(-1)?.epoch ?? 0;
  const state = plateauAfter(settings, metric, history);
  if (state === null) return { reason: 'epochs', epoch, metric: null, bestEpoch: null, best: null, patience: null, weights: 'last' };
  return {
    reason: state.stop ? 'plateau' : 'ceiling',
    epoch,
    metric,
    bestEpoch: state.bestEpoch,
    best: state.best,
    patience: settings.patience,
    weights,
  };
}

function epochs(count: number): string {
  return `${count} epoch${count === 1 ? '' : 's'}`;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

/** The plain sentence of why a run stopped: "Stopped at epoch 34: validation accuracy had not improved for 10 epochs (best 81.2 % at epoch 24)." */
export function describeStop(stop: RunStop, settings: TrainSettings | null): string {
  const best = stop.best !== null && stop.bestEpoch !== null ? ` (best ${percent(stop.best)} at epoch ${stop.bestEpoch})` : '';
  const name = stop.metric === null ? 'the watched metric' : watchedMetricNames[stop.metric];
  const kept = stop.weights === 'best' && stop.bestEpoch !== stop.epoch ? ` The model keeps the weights of epoch ${stop.bestEpoch}.` : '';
  switch (stop.reason) {
    case 'plateau':
      return `Stopped at epoch ${stop.epoch}: ${name} had not improved for ${epochs(stop.epoch - (stop.bestEpoch ?? stop.epoch))}${best}.${kept}`;
    case 'ceiling':
      return `Stopped at epoch ${stop.epoch}, the ceiling: ${name} was still improving${best}.${kept}`;
    case 'epochs':
      return settings !== null && roundsOf(settings) > 1 && settings.budget === 'until-plateau'
        ? `Trained all ${epochs(stop.epoch)}: ${methodInfo[settings.method].title} trains each round for a fixed number of epochs.`
        : `Trained all ${epochs(stop.epoch)} of its fixed budget.`;
    case 'cancelled':
      return `Cancelled after epoch ${stop.epoch}.`;
  }
}
