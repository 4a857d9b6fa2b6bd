/**
 * The rounds of the active-learning loop as the Models view shows them: which runs continue
 * which (parent chains), the chart of validation accuracy against labels spent, and which round
 * "Retrain with my corrections" starts from.
 */
import type { RoundDto } from '../../../src-main/shared/review.js';
import type { RunStatus } from '../../../src-main/shared/run-dto.js';
import { alignSeries, paletteColor, type ChartData, type Point } from '../train/chart-data.js';

/** Rounds by run id, and the children of each (runs retrained from it), in creation order. */
function links(rounds: readonly RoundDto[]): { byId: Map<number, RoundDto>; children: Map<number, RoundDto[]> } {
  const byId = new Map(rounds.map((round) => [round.runId, round]));
  const children = new Map<number, RoundDto[]>();
  for (const round of rounds) {
    if (round.parentRunId === null || !byId.has(round.parentRunId)) continue;
    const list = children.get(round.parentRunId) ?? [];
    list.push(round);
    children.set(round.parentRunId, list);
  }
  return { byId, children };
}

/** A round whose parent run was deleted starts a chain of its own. */
function parentOf(round: RoundDto, byId: ReadonlyMap<number, RoundDto>): RoundDto | null {
  return round.parentRunId === null ? null : (byId.get(round.parentRunId) ?? null);
}

/** Which round of its chain each run is: 1 for a run trained from scratch, 2 for its first retrain… */
export function roundNumbers(rounds: readonly RoundDto[]): Map<number, number> {
  const { byId } = links(rounds);
  const numbers = new Map<number, number>();
  for (const round of rounds) {
    let depth = 1;
    const seen = new Set([round.runId]);
    for (let p = parentOf(round, byId); p && !seen.has(p.runId); p = parentOf(p, byId)) {
      seen.add(p.runId);
      depth++;
    }
    numbers.set(round.runId, depth);
  }
  return numbers;
}

/** Every path from a first round to a round nobody retrained from, in the order their last rounds were made. */
export function roundChains(rounds: readonly RoundDto[]): RoundDto[][] {
  const { byId, children } = links(rounds);
  const chains: RoundDto[][] = [];
  for (const leaf of rounds) {
    if (children.has(leaf.runId)) continue;
    const chain = [leaf];
    const seen = new Set([leaf.runId]);
    for (let p = parentOf(leaf, byId); p && !seen.has(p.runId); p = parentOf(p, byId)) {
      seen.add(p.runId);
      chain.unshift(p);
    }
    chains.push(chain);
  }
  return chains;
}

export interface RoundSeries {
  label: string;
  color: string;
  /** Points only: runs that were never retrained have nothing to connect. */
  lone: boolean;
}

export interface RoundsChart {
  series: RoundSeries[];
  data: ChartData;
  /** Rounds drawn (those with a validation accuracy). */
  rounds: number;
}

/**
 * Validation accuracy against labels spent: one line per chain of retrained runs, and one
 * points-only series for runs nobody retrained from. A round without a validation accuracy
 * (no validation split, or not past its first epoch) has no point.
 */
export function roundsChart(rounds: readonly RoundDto[]): RoundsChart {
  const chains = roundChains(rounds);
  const connected = chains.filter((chain) => chain.length > 1);
  const lone = chains.filter((chain) => chain.length === 1).flat();
  const pointsOf = (list: readonly RoundDto[]): Point[] => {
    // Two rounds of a chain on the same number of labels: the later one is what the line shows.
    const byLabels = new Map<number, number | null>();
    for (const round of list) if (round.validationAccuracy !== null) byLabels.set(round.labels, round.validationAccuracy);
    return [...byLabels].sort((a, b) => a[0] - b[0]);
  };
  const series: RoundSeries[] = connected.map((chain, i) => {
    const first = chain[0] as RoundDto;
    return { label: `From run ${first.runId} (${first.name})`, color: paletteColor(i), lone: false };
  });
  const points = connected.map(pointsOf);
  if (lone.length > 0) {
    series.push({ label: connected.length > 0 ? 'Runs not retrained' : 'Runs', color: '#8fa1b3', lone: true });
    points.push(lone.filter((r) => r.validationAccuracy !== null).map((r) => [r.labels, r.validationAccuracy] as const));
  }
  const drawn = new Set(rounds.filter((r) => r.validationAccuracy !== null).map((r) => r.runId)).size;
  return { series, data: alignSeries(points), rounds: drawn };
}

/** The round "Retrain with my corrections" continues: the newest run that finished. */
export function latestFinishedRound(rounds: readonly RoundDto[]): RoundDto | null {
  for (let i = rounds.length - 1; i >= 0; i--) {
    const round = rounds[i];
    if (round?.status === 'succeeded') return round;
  }
  return null;
}

const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'];

function isRunStatus(value: string): value is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(value);
}

/** The round's status as a run status (the contract types it as a plain string). */
export function roundStatus(round: RoundDto): RunStatus | null {
  return isRunStatus(round.status) ? round.status : null;
}
