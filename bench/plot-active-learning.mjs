#!/usr/bin/env node
/**
 * Draws test accuracy against labels spent from bench/active-learning.mjs output (one JSONL file per
 * seed) as an SVG: one line per strategy and seed, and each strategy's mean over the seeds.
 *
 *   node bench/plot-active-learning.mjs OUT.svg RESULTS.jsonl [MORE.jsonl ...]
 *   node bench/plot-active-learning.mjs --smoke   # the committed rows (docs/results/active-learning-seed*.jsonl) into a temp SVG
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { argsWithoutSmoke, report, ROOT, SMOKE } from './lib/harness.mjs';

const results = path.join(ROOT, 'docs', 'results');
const [out, ...inputs] = SMOKE
  ? [path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-plot-')), 'active-learning.svg'),
    ...fs.readdirSync(results).filter((f) => /^active-learning-seed.*\.jsonl$/.test(f)).map((f) => path.join(results, f))]
  : argsWithoutSmoke();
if (!out || inputs.length === 0) {
  console.error('usage: node bench/plot-active-learning.mjs OUT.svg RESULTS.jsonl [MORE.jsonl ...]');
  process.exit(2);
}

/** strategy → seed file → [{labels, testAccuracy}] */
const curves = new Map();
for (const file of inputs) {
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line);
    if (row.bench !== 'active-learning') continue;
    const byFile = curves.get(row.strategy) ?? new Map();
    curves.set(row.strategy, byFile);
    byFile.set(file, [...(byFile.get(file) ?? []), { labels: row.labels, testAccuracy: row.testAccuracy }]);
  }
}
if (curves.size === 0) {
  console.error('bench: no active-learning rows in the inputs');
  process.exit(1);
}

const COLOURS = ['#d9480f', '#1c7ed6', '#2f9e44', '#7048e8', '#e8590c'];
const W = 640;
const H = 400;
const M = { left: 56, right: 190, top: 24, bottom: 48 };
const all = [...curves.values()].flatMap((byFile) => [...byFile.values()].flat());
const [xMin, xMax] = [Math.min(...all.map((p) => p.labels)), Math.max(...all.map((p) => p.labels))];
const yMin = Math.floor(Math.min(...all.map((p) => p.testAccuracy)) / 10) * 10;
const yMax = 100;
const x = (labels) => M.left + ((labels - xMin) / (xMax - xMin || 1)) * (W - M.left - M.right);
const y = (acc) => H - M.bottom - ((acc - yMin) / (yMax - yMin)) * (H - M.top - M.bottom);
const polyline = (points, attrs) =>
  `<polyline fill="none" ${attrs} points="${points.map((p) => `${x(p.labels).toFixed(1)},${y(p.testAccuracy).toFixed(1)}`).join(' ')}"/>`;

const parts = [];
for (let acc = yMin; acc <= yMax; acc += 5) {
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(acc)}" y2="${y(acc)}" stroke="#ddd"/>`);
  parts.push(`<text x="${M.left - 8}" y="${y(acc) + 4}" text-anchor="end">${acc}</text>`);
}
const xTicks = [...new Set(all.map((p) => p.labels))].sort((a, b) => a - b);
for (const labels of xTicks) parts.push(`<text x="${x(labels)}" y="${H - M.bottom + 18}" text-anchor="middle">${labels}</text>`);
parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">labelled clips</text>`);
parts.push(`<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">test accuracy (%)</text>`);

let k = 0;
for (const [strategy, byFile] of curves) {
  const colour = COLOURS[k % COLOURS.length];
  for (const points of byFile.values()) parts.push(polyline(points, `stroke="${colour}" stroke-opacity="0.35" stroke-width="1.5"`));
  const mean = xTicks
    .map((labels) => {
      const at = [...byFile.values()].map((pts) => pts.find((p) => p.labels === labels)).filter(Boolean);
      return at.length ? { labels, testAccuracy: at.reduce((s, p) => s + p.testAccuracy, 0) / at.length } : null;
    })
    .filter(Boolean);
  parts.push(polyline(mean, `stroke="${colour}" stroke-width="3"`));
  const ly = M.top + 16 + k * 22;
  parts.push(`<line x1="${W - M.right + 12}" x2="${W - M.right + 36}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="3"/>`);
  parts.push(`<text x="${W - M.right + 42}" y="${ly}">${strategy}</text>`);
  k++;
}
parts.push(`<text x="${W - M.right + 12}" y="${M.top + 16 + k * 22 + 8}" fill="#666">thick: mean of ${inputs.length} seeds</text>`);
parts.push(`<text x="${W - M.right + 12}" y="${M.top + 16 + k * 22 + 24}" fill="#666">thin: each seed</text>`);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
${parts.join('\n')}
</svg>
`;
fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
fs.writeFileSync(out, svg);
report({ bench: 'plot-active-learning', wrote: out, strategies: [...curves.keys()], seeds: inputs.length, bytes: svg.length });
if (SMOKE) fs.rmSync(path.dirname(out), { recursive: true, force: true });
