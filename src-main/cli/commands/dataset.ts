import path from 'node:path';
import { datasetFormats, type DatasetExportParams, type DatasetExportSummary } from '../../shared/dataset-export.js';
import type { Command } from '../command.js';
import { openProject, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { runJobToEnd } from '../run-to-end.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';

const HELP = `Usage: vssl dataset export DIR OUT --format mmaction|kinetics-folders
         [--pseudo-labels RUN [--min-confidence X]] [--validation F] [--seed N]
         [--frames N] [--size S] [--name NAME] [--json]

Cuts every labelled clip of the project in DIR to its own mp4 in the new (or empty) folder OUT,
frame-exactly (stream copy when the clip starts and ends on keyframes, else re-encoded), and
writes train_list.txt / val_list.txt (MMAction2 VideoDataset: "path label_index" per line) split
per class as a training run splits them, classes.txt, clips.csv (each clip's source and frames),
configs/NAME_r2plus1d.py (an MMAction2 1.x R(2+1)D recognizer on the same input spec) and a
README.md saying how to train it with tools/dist_train.sh.

  --format F            mmaction: OUT/videos/<clip>.mp4
                        kinetics-folders: OUT/train/<class>/<clip>.mp4 and OUT/val/<class>/…
  --pseudo-labels RUN   also the clips run RUN's review labelled: accepted predictions and
                        corrections (labels people gave always win)
  --min-confidence X    only accepted predictions at least X sure (0–1, default 0)
  --validation F        share of each class held out (default 0.2, as training)
  --seed N              the split's seed (default 0, as training)
  --frames N, --size S  the input spec the config trains on (default 8 frames of 64×64)
  --name NAME           the config's name (default vssl)

Videos that are missing or cannot be read are skipped and listed; the export fails only when no
clip is left. Ctrl+C cancels and leaves OUT as it was.`;

function numberFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`dataset export: --${flag} takes a number, not ${JSON.stringify(value)}.`);
  }
  return n;
}

function printSummary(summary: DatasetExportSummary): void {
  printLine(
    `Wrote ${summary.train + summary.validation} clips (${summary.train} train, ${summary.validation} validation; ` +
      `${summary.copied} stream-copied, ${summary.reencoded} re-encoded) of ${summary.classes.length} classes to ${summary.dir}.`,
  );
  if (summary.pseudoLabels > 0) printLine(`${summary.pseudoLabels} of them carry accepted pseudo-labels.`);
  printLine(`Train it: bash tools/dist_train.sh ${path.join(summary.dir, summary.config)} N  (see ${path.join(summary.dir, 'README.md')})`);
  for (const skip of summary.skipped) {
    const frames = skip.frames ? ` frames ${skip.frames[0]}–${skip.frames[1]}` : '';
    printLine(`  skipped: ${skip.path}${frames}: ${skip.reason}`);
  }
}

export const datasetCommand: Command = {
  name: 'dataset',
  summary: 'export the labelled clips as a dataset to train on elsewhere (MMAction2)',
  help: HELP,
  async run(args) {
    const { values, positionals } = parseCommandArgs('dataset', args, {
      format: { type: 'string' },
      'pseudo-labels': { type: 'string' },
      'min-confidence': { type: 'string' },
      validation: { type: 'string' },
      seed: { type: 'string' },
      frames: { type: 'string' },
      size: { type: 'string' },
      name: { type: 'string' },
    });
    if (values.help) {
      printLine(this.help);
      return 0;
    }
    const [verb, ...rest] = positionals;
    if (verb !== 'export') {
      throw new UsageError(
        verb === undefined ? 'dataset: missing "export" (see "vssl dataset --help").' : `dataset: unknown action ${JSON.stringify(verb)}.`,
      );
    }
    expectPositionals('dataset export', rest, 2, 2, 'the project folder DIR and the output folder OUT');
    const format = values.format;
    if (!datasetFormats.some((f) => f === format)) {
      throw new UsageError(`dataset export: --format is one of ${datasetFormats.join(', ')}.`);
    }
    const pseudoRun = numberFlag(values['pseudo-labels'], 'pseudo-labels');
    const minConfidence = numberFlag(values['min-confidence'], 'min-confidence');
    if (minConfidence !== undefined && pseudoRun === undefined) {
      throw new UsageError('dataset export: --min-confidence needs --pseudo-labels RUN.');
    }
    const params: DatasetExportParams = {
      dir: path.resolve(rest[1] as string),
      format: format as DatasetExportParams['format'],
      ...(pseudoRun !== undefined ? { pseudoLabelRunId: pseudoRun } : {}),
      ...(minConfidence !== undefined ? { minConfidence } : {}),
    };
    const optional = { validationFraction: numberFlag(values.validation, 'validation'), seed: numberFlag(values.seed, 'seed'),
      frames: numberFlag(values.frames, 'frames'), size: numberFlag(values.size, 'size') };
    for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(params, { [key]: value });
    if (values.name !== undefined) params.name = values.name;
    const job = await withCore('cli', async (core) => {
      await openProject(core, rest[0] as string);
      const { jobId } = await core.call('dataset:export', params);
      return runJobToEnd(core, jobId, 'dataset export');
    });
    if (job.state === 'cancelled') throw new Error(`the dataset export was cancelled; ${params.dir} was left as it was.`);
    if (job.state !== 'succeeded' || job.result?.kind !== 'dataset-export') {
      throw new Error(`the dataset export failed: ${job.error ?? job.message}`);
    }
    if (values.json) printJson(job.result);
    else printSummary(job.result);
    return 0;
  },
};
