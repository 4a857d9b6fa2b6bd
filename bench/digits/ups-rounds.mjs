// What UPS selected in each round of a run (runDir/ups-round-N.json), scored against the benchmark's truth.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { round } from '../lib/harness.mjs';

/**
 * Per round: how many pseudo-labels UPS kept and how many of them are right, plus how many clips got
 * "surely not" labels. `run` is the `vssl train --json` result (its class names are in output order).
 */
export function upsRounds(project, run, truth) {
  const dir = path.join(project, 'cache', 'runs', String(run.runId));
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^ups-round-\d+\.json$/.test(f)) : [];
  const db = new Database(path.join(project, 'project.vssl'), { readonly: true });
  try {
    const videoOf = db.prepare('SELECT v.path FROM clips c JOIN videos v ON v.id = c.video_id WHERE c.id = ?');
    const labelOf = new Map(truth.map((r) => [path.resolve(r.path), r.label]));
    return files
      .map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')))
      .sort((a, b) => a.round - b.round)
      .map((summary) => {
        const right = summary.positives.filter((p) => {
          const video = videoOf.get(p.clipId)?.path;
          return video !== undefined && labelOf.get(path.resolve(video)) === run.classes[p.classIndex];
        }).length;
        return {
          round: summary.round,
          positives: summary.positives.length,
          precision: summary.positives.length > 0 ? round((100 * right) / summary.positives.length) : null,
          negativeRows: summary.counts.negativeRows,
          droppedByBalance: summary.counts.droppedByBalance,
        };
      });
  } finally {
    db.close();
  }
}
