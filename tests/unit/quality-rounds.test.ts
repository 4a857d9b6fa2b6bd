/** The Models view's pure logic: rounds as parent chains, the accuracy-vs-labels chart, what retrains. */
import { describe, expect, it } from 'vitest';
import type { RoundDto } from '../../src-main/shared/review.js';
import {
  latestFinishedRound,
  roundChains,
  roundNumbers,
  roundStatus,
  roundsChart,
} from '../../src-renderer/features/models/rounds-data.js';

function round(runId: number, parentRunId: number | null, labels: number, accuracy: number | null, status = 'succeeded'): RoundDto {
  return {
    runId,
    parentRunId,
    warmStartRunId: parentRunId,
    name: `run ${runId}`,
    method: 'fixmatch',
    status,
    labels,
    reviewLabels: parentRunId === null ? 0 : labels - 20,
    validationAccuracy: accuracy,
    finishedAt: status === 'succeeded' ? '2025-01-01T00:00:00Z' : null,
  };
}

// 1 → 2 → 4 and 1 → 3 (two retrains of run 1); 5 stands alone; 6 was retrained from a deleted run.
const rounds = [
  round(1, null, 20, 0.5),
  round(2, 1, 70, 0.6),
  round(3, 1, 60, 0.55),
  round(4, 2, 120, 0.7),
  round(5, null, 30, 0.52),
  round(6, 99, 40, null, 'running'),
];

describe('rounds', () => {
  it('follows parent links from each round nobody retrained back to its first run', () => {
    expect(roundChains(rounds).map((chain) => chain.map((r) => r.runId))).toEqual([[1, 3], [1, 2, 4], [5], [6]]);
  });

  it('numbers each round by its depth in its chain; a deleted parent starts a new chain', () => {
    expect(Object.fromEntries(roundNumbers(rounds))).toEqual({ 1: 1, 2: 2, 3: 2, 4: 3, 5: 1, 6: 1 });
  });

  it('does not loop forever on a cycle of parent links', () => {
    const cyclic = [round(1, 2, 10, 0.5), round(2, 1, 20, 0.6)];
    expect(roundNumbers(cyclic).get(1)).toBe(2);
    expect(roundChains(cyclic)).toEqual([]);
  });

  it('charts one line per chain of retrains and the lone runs as points, x = labels, y = validation accuracy', () => {
    const chart = roundsChart(rounds);
    expect(chart.series.map((s) => [s.label, s.lone])).toEqual([
      ['From run 1 (run 1)', false],
      ['From run 1 (run 1)', false],
      ['Runs not retrained', true],
    ]);
    const [xs, chainA, chainB, lone] = chart.data.aligned;
    expect(xs).toEqual([20, 30, 60, 70, 120]);
    expect(chainA).toEqual([0.5, null, 0.55, null, null]);
    expect(chainB).toEqual([0.5, null, null, 0.6, 0.7]);
    // Run 6 has no validation accuracy yet: no point.
    expect(lone).toEqual([null, 0.52, null, null, null]);
    expect(chart.rounds).toBe(5);
  });

  it('keeps the later round when two rounds of a chain learned from as many labels', () => {
    const chart = roundsChart([round(1, null, 20, 0.5), round(2, 1, 20, 0.58)]);
    expect(chart.data.aligned).toEqual([[20], [0.58]]);
    expect(chart.rounds).toBe(2);
  });

  it('an empty project has nothing to draw', () => {
    expect(roundsChart([])).toEqual({ series: [], data: { aligned: [[]], points: 0 }, rounds: 0 });
  });

  it('retrains from the newest finished round', () => {
    expect(latestFinishedRound(rounds)?.runId).toBe(5);
    expect(latestFinishedRound([round(1, null, 20, 0.5, 'failed')])).toBeNull();
  });

  it('reads the status as a run status, or null for one it does not know', () => {
    expect(roundStatus(round(1, null, 1, null, 'cancelled'))).toBe('cancelled');
    expect(roundStatus(round(1, null, 1, null, 'exploded'))).toBeNull();
  });
});
