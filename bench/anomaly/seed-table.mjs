// One table over benchmarks, layouts and seeds: the model's frame AUCs as mean ± spread over the seeds, with
// the frame-difference baseline (which has no seed) on the row beside it, and whether the targets hold.
import { ANOMALY_KINDS } from './inject.mjs';

export const TARGETS = { micro: 0.85, everyKind: 0.75 };

const round3 = (v) => (v === null || v === undefined || Number.isNaN(v) ? null : Math.round(v * 1000) / 1000);

/** Mean, sample standard deviation (null for one value), min and max of `values` (nulls left out). */
export function spread(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return { n: 0, mean: null, sd: null, min: null, max: null };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : null;
  return { n: xs.length, mean: round3(mean), sd: round3(sd), min: round3(Math.min(...xs)), max: round3(Math.max(...xs)) };
}

/**
 * `benchmarks`: [{ name, runs: [{ seed, layouts: [evaluated layout] }] }], every run with the same layouts in
 * the same order. One row per benchmark and layout.
 */
export function seedTable(benchmarks) {
  return benchmarks.flatMap((bench) => {
    const first = bench.runs[0];
    if (!first) return [];
    return first.layouts.map((layout, i) => {
      const of = (pick) => spread(bench.runs.map((run) => pick(run.layouts[i])));
      const kindAuc = (l, kind, key) => l.kinds.find((k) => k.kind === kind)?.[key] ?? null;
      const model = {
        micro: of((l) => l.micro),
        macro: of((l) => l.macro),
        kinds: Object.fromEntries(ANOMALY_KINDS.map((kind) => [kind, of((l) => kindAuc(l, kind, 'auc'))])),
      };
      const baseline = {
        micro: layout.baseline.micro,
        macro: layout.baseline.macro,
        kinds: Object.fromEntries(ANOMALY_KINDS.map((kind) => [kind, kindAuc(layout, kind, 'baselineAuc')])),
      };
      const meetsTarget = model.micro.mean !== null && model.micro.mean >= TARGETS.micro &&
        ANOMALY_KINDS.every((kind) => (model.kinds[kind].mean ?? 0) >= TARGETS.everyKind);
      return { benchmark: bench.name, layout: layout.layout, seeds: bench.runs.map((r) => r.seed), model, baseline, meetsTarget };
    });
  });
}

const cell = (s) => (s.mean === null ? '–' : s.sd === null ? s.mean.toFixed(3) : `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}`);
const plain = (v) => (v === null ? '–' : v.toFixed(3));

/** The rows as a Markdown table: the model's row (mean ± SD over the seeds), then the baseline's. */
export function seedTableMarkdown(rows) {
  const head = ['benchmark', 'layout', 'scorer', 'micro', 'macro', ...ANOMALY_KINDS, 'target'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const row of rows) {
    const seeds = `model, ${row.seeds.length} seed${row.seeds.length === 1 ? '' : 's'}`;
    lines.push(`| ${row.benchmark} | ${row.layout} | ${seeds} | ${cell(row.model.micro)} | ${cell(row.model.macro)} | ` +
      `${ANOMALY_KINDS.map((k) => cell(row.model.kinds[k])).join(' | ')} | ${row.meetsTarget ? 'met' : 'not met'} |`);
    lines.push(`| ${row.benchmark} | ${row.layout} | frame difference | ${plain(row.baseline.micro)} | ${plain(row.baseline.macro)} | ` +
      `${ANOMALY_KINDS.map((k) => plain(row.baseline.kinds[k])).join(' | ')} | |`);
  }
  return lines.join('\n');
}
