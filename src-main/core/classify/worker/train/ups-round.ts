/**
 * UPS's rounds (Rizve et al. 2021): after each round the model predicts every unlabelled clip with
 * MC-dropout, and only the pseudo-labels that are confident and certain (positives), and the classes a
 * clip is surely not (negatives), are trained on in the next round, from fresh weights. The classes a
 * person ruled out in Review join the negatives from the first round on.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ClipCache } from '../../clips/clip-cache.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { selectUps, upsBalancesRound, type UpsSelectionCounts } from '../methods/ups-selection.js';
import { decodablePredictionClips, predictClips } from '../predict/predict-clips.js';
import { Rng } from '../../../engine/random.js';
import type { PredictHost, PredictionRow, RunConfig } from '../../jobs.js';
import type { UnlabelledTargets } from './step-tensors.js';

/** UPS passes when the run's own MC-dropout setting is 0: selection needs an uncertainty. */
export const UPS_MC_PASSES = 10;

/** What UPS trains on in a round, per clip of the run's unlabelled list. */
export interface UpsState {
  /** 0: the labelled clips alone (and people's negatives); r ≥ 1: after r selections. */
  round: number;
  /** Pseudo-label per unlabelled clip, −1 for none. */
  labels: number[];
  /** Classes each unlabelled clip is surely not. */
  negatives: number[][];
}

/** The round an epoch (1-based) belongs to, with `epochsPerRound` epochs a round. */
export function roundOfEpoch(epoch: number, epochsPerRound: number): number {
  return Math.floor((epoch - 1) / epochsPerRound);
}

/** Round 0: no pseudo-labels yet, only the classes people ruled out. */
export function initialUpsState(config: RunConfig): UpsState {
  return {
    round: 0,
    labels: config.unlabelled.map(() => -1),
    negatives: config.unlabelled.map((_, i) => [...(config.unlabelledNegatives?.[i] ?? [])]),
  };
}

/** Unlabelled clips UPS trains on: those with a pseudo-label or a ruled-out class. */
export function selectedIndices(state: UpsState): number[] {
  const out: number[] = [];
  state.labels.forEach((label, i) => {
    if (label >= 0 || (state.negatives[i]?.length ?? 0) > 0) out.push(i);
  });
  return out;
}

export function targetsFor(state: UpsState, indices: readonly number[]): UnlabelledTargets {
  return { labels: indices.map((i) => state.labels[i] ?? -1), negatives: indices.map((i) => state.negatives[i] ?? []) };
}

export interface UpsRoundSummary {
  round: number;
  counts: UpsSelectionCounts;
  /** Clips that could not be predicted (undecodable): nothing is selected for them. */
  unpredicted: number;
  positives: { clipId: number; classIndex: number; confidence: number; std: number }[];
}

export function upsRoundFile(runDir: string, round: number): string {
  return path.join(runDir, `ups-round-${round}.json`);
}

interface SelectionContext {
  config: RunConfig;
  cache: ClipCache;
  spec: ClipSpec;
  host: PredictHost;
}

/** MC-dropout statistics of every unlabelled clip, in the run's unlabelled order; null when cancelled. */
async function predictUnlabelled(model: tf.LayersModel, run: SelectionContext, round: number): Promise<Map<number, PredictionRow> | null> {
  const { config, host } = run;
  const clips = await decodablePredictionClips(run.cache, config.unlabelled, host);
  const rows = new Map<number, PredictionRow>();
  const collecting: PredictHost = {
    cancelled: () => host.cancelled(),
    signal: host.signal,
    post: (message) => {
      if (message.type === 'predictions') for (const row of message.rows) rows.set(row.clipId, row);
      else if (message.type === 'progress') host.post({ ...message, message: `UPS round ${round + 1}: ${message.message ?? ''}`.trim() });
    },
  };
  const passes = config.settings.mcPasses > 0 ? config.settings.mcPasses : UPS_MC_PASSES;
  const rng = new Rng(config.settings.seed + 7919 * (round + 1));
  const finished = await predictClips(model, clips, run.cache, { spec: run.spec, mcPasses: passes, rng }, collecting);
  return finished ? rows : null;
}

/**
 * Selects round `round`'s pseudo-labels with `model` (the last round's EMA model), writes what it chose
 * to runDir/ups-round-N.json and returns the new state; null when cancelled.
 */
export async function selectForRound(model: tf.LayersModel, run: SelectionContext, round: number): Promise<UpsState | null> {
  const { config } = run;
  const s = config.settings;
  const classes = config.classes.length;
  const rows = await predictUnlabelled(model, run, round);
  if (rows === null) return null;
  const n = config.unlabelled.length;
  const mean = new Float32Array(n * classes);
  // Clips without a prediction get a std that fails every test, so nothing is selected for them.
  const std = new Float32Array(n * classes).fill(1);
  config.unlabelled.forEach((clip, i) => {
    const row = rows.get(clip.clipId);
    if (row === undefined) return;
    mean.set(row.mcMean, i * classes);
    std.set(row.mcStd, i * classes);
  });
  const selection = selectUps(
    { classes, mean, std },
    { tauP: s.upsTauP, kappaP: s.upsKappaP, tauN: s.upsTauN, kappaN: s.upsKappaN, balance: upsBalancesRound(round - 1) },
  );
  const state: UpsState = { round, labels: [], negatives: [] };
  const summary: UpsRoundSummary = { round, counts: selection.counts, unpredicted: n - rows.size, positives: [] };
  for (let i = 0; i < n; i++) {
    const ruledOut = new Set(config.unlabelledNegatives?.[i] ?? []);
    for (let c = 0; c < classes; c++) if (selection.negativeMask[i * classes + c] === 1) ruledOut.add(c);
    let label = selection.positiveLabels[i] ?? -1;
    // A person's "not this class" outranks the model's confidence in it.
    if (label >= 0 && ruledOut.has(label)) label = -1;
    state.labels.push(label);
    state.negatives.push(label >= 0 ? [] : [...ruledOut].sort((a, b) => a - b));
    const clip = config.unlabelled[i];
    if (label >= 0 && clip !== undefined) {
      summary.positives.push({ clipId: clip.clipId, classIndex: label, confidence: mean[i * classes + label] ?? 0, std: std[i * classes + label] ?? 0 });
    }
  }
  await fs.writeFile(upsRoundFile(config.runDir, round), `${JSON.stringify(summary)}\n`);
  run.host.post({
    type: 'progress',
    phase: 'train',
    done: 0,
    total: 0,
    message: `UPS round ${round + 1}: ${summary.positives.length} pseudo-labels and ${selection.counts.negativeRows} clips with "surely not" classes selected; training from fresh weights`,
  });
  return state;
}
