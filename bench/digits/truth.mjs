// The digit benchmark's ground truth (train.csv / test.csv) and how predictions score against it.
import fs from 'node:fs';
import path from 'node:path';
import { round } from '../lib/harness.mjs';

/** Rows `{ path, start, end, label }` of a truth CSV, paths made absolute. */
export function readTruth(file) {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  if (header !== 'path,start,end,label') throw new Error(`bench: ${file} has an unexpected header ${header}`);
  const base = path.dirname(file);
  return lines.map((line) => {
    const [p, start, end, label] = line.split(',');
    return { path: path.resolve(base, p), start: Number(start), end: Number(end), label };
  });
}

/** The first K clips of each class in file order (bench/pytorch/train.py picks the same ones). */
export function pickLabelled(truth, perClass) {
  const taken = new Map();
  return truth.filter((row) => {
    const n = taken.get(row.label) ?? 0;
    taken.set(row.label, n + 1);
    return n < perClass;
  });
}

/** Accuracy of `vssl model predict` output ({ path, label }[]) against the truth, overall and per class. */
export function testAccuracy(predictions, truth) {
  const byPath = new Map(predictions.map((p) => [path.resolve(p.path), p]));
  const perClass = {};
  let correct = 0;
  let missing = 0;
  for (const row of truth) {
    const predicted = byPath.get(row.path);
    const entry = (perClass[row.label] ??= { n: 0, correct: 0 });
    entry.n++;
    if (!predicted) missing++;
    else if (predicted.label === row.label) {
      correct++;
      entry.correct++;
    }
  }
  return {
    testAccuracy: correct / truth.length,
    missing,
    perClass: Object.fromEntries(Object.entries(perClass).map(([label, e]) => [label, round((100 * e.correct) / e.n)])),
  };
}

/** Writes a label CSV of truth rows (for `vssl labels import`). */
export function writeLabelCsv(file, rows) {
  fs.writeFileSync(file, `path,start,end,label\n${rows.map((r) => `${r.path},${r.start},${r.end},${r.label}`).join('\n')}\n`);
}
