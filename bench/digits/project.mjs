// A project of the digit benchmark's train pool, made and scored through the real CLI.
import path from 'node:path';
import { vsslJson } from '../lib/vssl-cli.mjs';
import { testAccuracy, writeLabelCsv } from './truth.mjs';

/** Creates a project in `root`, imports `dataDir/train` and labels the `labelled` truth rows (whole videos). */
export async function makeDigitProject(root, dataDir, labelled, name = 'project') {
  const project = path.join(root, `${name}-${Date.now()}`);
  await vsslJson(['init', project]);
  const imported = await vsslJson(['import', project, path.join(dataDir, 'train')], { quiet: true });
  const labelsFile = path.join(root, `${name}-labelled.csv`);
  writeLabelCsv(labelsFile, labelled);
  const report = await vsslJson(['labels', 'import', project, labelsFile, '--format', 'csv']);
  if (report.labelledClips !== labelled.length || report.createdClips !== 0) {
    throw new Error(`bench: expected ${labelled.length} labelled whole-video clips, got ${JSON.stringify(report)}`);
  }
  return { project, pool: imported.import?.imported ?? null };
}

/** Exports a run's model and classifies the held-out test videos with it, outside the project. */
export async function scoreOnTest(project, runId, modelDir, testTruth) {
  await vsslJson(['model', 'export', project, '--run', String(runId), '--out', modelDir]);
  const start = performance.now();
  const predicted = await vsslJson(['model', 'predict', modelDir, ...testTruth.map((r) => r.path)], { quiet: true });
  return {
    ...testAccuracy(predicted.predictions, testTruth),
    predictFailed: predicted.failed.length,
    predictSec: (performance.now() - start) / 1000,
  };
}
