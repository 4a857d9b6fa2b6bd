import path from 'node:path';
import type { Core } from '../../core/core.js';
import { readTextFile } from '../../core/labels/formats/label-file-io.js';
import { ApiError } from '../../shared/errors.js';
import type { PredictionDto } from '../../shared/run-dto.js';
import { openProject, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs } from '../usage.js';
import { runIdOf } from './predict.js';
import {
  classNamed,
  noPredictionReason,
  parseDecisions,
  predictionAt,
  videoFor,
  type DecisionAction,
  type DecisionRow,
  type RowProblem,
} from './review-decisions.js';
import { reviewRun } from './review-run.js';

export const APPLY_HELP = `Usage: vssl review apply DIR FILE [--run ID] [--json]

Applies the review decisions in FILE to the predictions of run ID (default: the run the review
is on in the app; in a new project the latest finished run with predictions), each as one
change that "undo" in the app takes back. FILE is CSV with the header
path,start,end,action,label (the label column may be left out):
  path    the video: absolute, relative to FILE's folder, or a file name only one video has
  start   seconds from the video's first frame; start and end must each be within half a
  end     frame of a clip of the run's predictions
  action  accept (the predicted class becomes the label), correct (label = the right class),
          reject (label = the class ruled out, default the predicted one)
  label   a class name; required for correct, optional otherwise
Rows that cannot be applied (malformed, no such clip, a clip a person labelled, …) are listed
with the reason; the others are applied. Exit code 0 when the file was read (even with skipped
rows), 1 when it could not be read or there is no run to review, 2 for bad usage.
  --json  {runId, file, applied, accepted, corrected, rejected, skipped: [{line, reason}]}`;

export interface ApplyReport {
  runId: number;
  file: string;
  applied: number;
  accepted: number;
  corrected: number;
  rejected: number;
  skipped: RowProblem[];
  notes: string[];
}

const DONE: Record<DecisionAction, 'accepted' | 'corrected' | 'rejected'> = {
  accept: 'accepted',
  correct: 'corrected',
  reject: 'rejected',
};

async function applyDecisions(core: Core, dir: string, file: string, runId: number | undefined): Promise<ApplyReport> {
  await openProject(core, dir);
  const { run } = await reviewRun(core, runId);
  const parsed = parseDecisions(readTextFile(file, 'review decisions file'));
  const videos = await core.call('videos:list', {});
  const classes = await core.call('classes:list', {});
  const predictionsOf = new Map<number, Promise<PredictionDto[]>>();
  const predictions = (videoId: number) => {
    let list = predictionsOf.get(videoId);
    if (!list) {
      list = core.call('predictions:list', { runId: run.id, videoId, limit: 10_000 }).then((page) => page.items);
      predictionsOf.set(videoId, list);
    }
    return list;
  };

  const report: ApplyReport = {
    runId: run.id,
    file,
    applied: 0,
    accepted: 0,
    corrected: 0,
    rejected: 0,
    skipped: [...parsed.problems],
    notes: parsed.notes,
  };
  const apply = async (row: DecisionRow): Promise<string | null> => {
    const video = videoFor(row.path, path.dirname(file), videos);
    if ('reason' in video) return video.reason;
    const prediction = predictionAt(row, await predictions(video.id));
    if (!prediction) return noPredictionReason(row, video, run.id);
    const named = row.label === null ? null : classNamed(row.label, classes);
    if (named && 'reason' in named) return named.reason;
    if (row.action === 'accept' && named && named.id !== prediction.classId) {
      const predicted = classes.find((c) => c.id === prediction.classId)?.name ?? `class ${prediction.classId}`;
      return `accept: the prediction is “${predicted}”, not “${named.name}” (use correct to give another class)`;
    }
    try {
      await core.call('review:apply', {
        runId: run.id,
        clipId: prediction.clipId,
        action: row.action,
        ...(named && row.action !== 'accept' ? { classId: named.id } : {}),
      });
    } catch (err) {
      // What the app refuses (a clip a person labelled, …) is this row's problem, not the file's.
      if (err instanceof ApiError) return err.message.replace(/\.$/, '');
      throw err;
    }
    return null;
  };
  for (const row of parsed.rows) {
    const problem = await apply(row);
    if (problem !== null) {
      report.skipped.push({ line: row.line, reason: problem });
      continue;
    }
    report.applied++;
    report[DONE[row.action]]++;
  }
  report.skipped.sort((a, b) => a.line - b.line);
  return report;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function printApply(report: ApplyReport): void {
  printLine(
    `Applied ${plural(report.applied, 'row')} to run ${report.runId}: ` +
      `${report.accepted} accepted, ${report.corrected} corrected, ${report.rejected} rejected.`,
  );
  if (report.skipped.length > 0) {
    printLine(`Skipped ${plural(report.skipped.length, 'row')}:`);
    for (const skip of report.skipped) printLine(`  line ${skip.line}: ${skip.reason}`);
  }
  for (const note of report.notes) printLine(`Note: ${note}`);
}

export async function runReviewApply(args: string[]): Promise<number> {
  const command = 'review apply';
  const { values, positionals } = parseCommandArgs(command, args, { run: { type: 'string' } });
  if (values.help) {
    printLine(APPLY_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 2, 2, 'the project folder DIR and the decisions FILE');
  const [dir, file] = positionals as [string, string];
  const runId = runIdOf(values.run, command);
  const report = await withCore('cli', (core) => applyDecisions(core, dir, path.resolve(file), runId));
  if (values.json) printJson(report);
  else printApply(report);
  return 0;
}
