// The digit benchmark's ground truth (train.csv / test.csv) and how predictions score against it, on the
// held-out test videos and on the pool a run trained on.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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

/**
 * How good the pseudo-labels a run would give are, from the predictions it stored for every pool clip at its
 * end (the EMA model's deterministic pass on un-augmented clips; `vssl train` predicts every clip when it
 * ends), checked against the truth. `run` is the `vssl train --json` result; `labelled` the truth rows that
 * were labelled. Returns percentages (one decimal):
 *  - poolAccuracy: argmax right on the unlabelled pool clips; labelledAccuracy: on the labelled ones;
 *  - atThreshold: the share of unlabelled clips whose confidence reaches τ (the run's threshold), and the
 *    share of those whose predicted class is right (precision; null when none passes);
 *  - atClassThresholds (FlexMatch): the same with each class's threshold from the run's last epoch.
 */
export function pseudoLabelPrecision(project, run, truth, labelled) {
  const db = new Database(path.join(project, 'project.vssl'), { readonly: true });
  try {
    const stored = db.prepare('SELECT settings_json, classes_json FROM runs WHERE id = ?').get(run.runId);
    if (!stored) throw new Error(`bench: run ${run.runId} is not in ${project}`);
    const tau = JSON.parse(stored.settings_json).threshold;
    // The run's classes in model output order: the index of a prediction's class is its output.
    const classes = JSON.parse(stored.classes_json);
    const outputOf = new Map(classes.map((c, i) => [c.id, i]));
    const rows = db
      .prepare('SELECT v.path AS path, p.class_id AS classId, p.confidence AS confidence FROM predictions p ' +
        'JOIN clips c ON c.id = p.clip_id JOIN videos v ON v.id = c.video_id WHERE p.run_id = ?')
      .all(run.runId);
    const truthOf = new Map(truth.map((r) => [path.resolve(r.path), r.label]));
    const isLabelled = new Set(labelled.map((r) => path.resolve(r.path)));
    const thresholds = run.metrics?.classThresholds ?? null;
    const pool = { n: 0, right: 0 };
    const fit = { n: 0, right: 0 };
    const tauPass = { n: 0, right: 0 };
    const classPass = { n: 0, right: 0 };
    for (const row of rows) {
      const actual = truthOf.get(path.resolve(row.path));
      if (actual === undefined) continue;
      const output = outputOf.get(row.classId);
      const right = classes[output]?.name === actual ? 1 : 0;
      const into = isLabelled.has(path.resolve(row.path)) ? fit : pool;
      into.n++;
      into.right += right;
      if (into === fit) continue;
      if (row.confidence >= tau) {
        tauPass.n++;
        tauPass.right += right;
      }
      if (thresholds !== null && output !== undefined && row.confidence >= thresholds[output]) {
        classPass.n++;
        classPass.right += right;
      }
    }
    const share = (part, whole) => (whole > 0 ? round((100 * part) / whole) : null);
    const pass = (p) => ({ passRate: share(p.n, pool.n), passed: p.n, precision: share(p.right, p.n) });
    return {
      unlabelled: pool.n,
      poolAccuracy: share(pool.right, pool.n),
      labelledAccuracy: share(fit.right, fit.n),
      atThreshold: { threshold: tau, ...pass(tauPass) },
      ...(thresholds === null ? {} : {
        atClassThresholds: { min: round(Math.min(...thresholds) * 100) / 100, max: round(Math.max(...thresholds) * 100) / 100, ...pass(classPass) },
      }),
    };
  } finally {
    db.close();
  }
}

/**
 * A run's epochs as the Train view charts them, from the project's metrics table: per epoch the loss (the
 * contrastive loss in a pretraining epoch, marked `pretrain`), mask rate, training accuracy and, for FlexMatch,
 * the lowest and highest class threshold.
 */
export function epochMetrics(project, runId) {
  const db = new Database(path.join(project, 'project.vssl'), { readonly: true });
  try {
    const rows = db.prepare("SELECT epoch, name, value FROM metrics WHERE run_id = ? AND name NOT LIKE 'step/%' ORDER BY epoch").all(runId);
    const epochs = new Map();
    for (const row of rows) {
      const epoch = epochs.get(row.epoch) ?? { epoch: row.epoch, loss: null, maskRate: null, trainAccuracy: null, thresholds: [] };
      if (row.name === 'loss') epoch.loss = row.value === null ? null : Math.round(row.value * 1000) / 1000;
      else if (row.name === 'stage/pretrain') epoch.pretrain = true;
      else if (row.name === 'maskRate') epoch.maskRate = round(100 * row.value);
      else if (row.name === 'trainAccuracy') epoch.trainAccuracy = round(100 * row.value);
      else if (row.name.startsWith('threshold/')) epoch.thresholds.push(row.value);
      epochs.set(row.epoch, epoch);
    }
    return [...epochs.values()].map(({ thresholds, ...e }) => ({
      ...e,
      ...(thresholds.length > 0 ? { thresholdMin: round(Math.min(...thresholds) * 100) / 100, thresholdMax: round(Math.max(...thresholds) * 100) / 100 } : {}),
    }));
  } finally {
    db.close();
  }
}
