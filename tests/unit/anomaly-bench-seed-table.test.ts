/** The anomaly benchmark's one table over seeds (bench/anomaly/seed-table.mjs): mean ± SD, the baseline beside, the targets. */
import { describe, expect, it } from 'vitest';
import { seedTable, seedTableMarkdown, spread } from '../../bench/anomaly/seed-table.mjs';

const layout = (micro: number, kinds: number[]) => ({
  layout: 'one kind per video',
  micro,
  macro: micro - 0.01,
  baseline: { micro: 0.5, macro: 0.52 },
  kinds: ['reversed', 'faster', 'frozen', 'object'].map((kind, i) => ({ kind, auc: kinds[i], baselineAuc: [0.3, 0.4, 0.5, 0.6][i] })),
});

describe('seedTable', () => {
  it('gives each kind its mean and sample SD over the seeds, and the baseline once', () => {
    const rows = seedTable([{ name: 'vtest', runs: [
      { seed: 1, layouts: [layout(0.9, [0.8, 1, 0.9, 0.95])] },
      { seed: 2, layouts: [layout(0.86, [0.7, 1, 0.9, 0.97])] },
    ] }]);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row.seeds).toEqual([1, 2]);
    expect(row.model.micro).toEqual({ n: 2, mean: 0.88, sd: 0.028, min: 0.86, max: 0.9 });
    expect(row.model.kinds.reversed.mean).toBe(0.75);
    expect(row.baseline.kinds).toEqual({ reversed: 0.3, faster: 0.4, frozen: 0.5, object: 0.6 });
    // micro 0.88 ≥ 0.85 and every kind's mean ≥ 0.75.
    expect(row.meetsTarget).toBe(true);
    expect(seedTableMarkdown(rows)).toContain('| vtest | one kind per video | model, 2 seeds | 0.880 ± 0.028 |');
  });

  it('misses the target when one kind is below 0.75, and shows one seed without a spread', () => {
    const [row] = seedTable([{ name: 'vtest', runs: [{ seed: 1, layouts: [layout(0.95, [0.74, 1, 1, 1])] }] }]);
    expect(row.meetsTarget).toBe(false);
    expect(spread([0.5]).sd).toBeNull();
    expect(seedTableMarkdown([row])).toContain('| model, 1 seed | 0.950 | 0.940 | 0.740 |');
  });
});
