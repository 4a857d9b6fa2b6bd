import type { Core } from '../../core/core.js';
import { csvLine, formatSeconds } from '../../core/labels/formats/csv-text.js';
import type { AcquisitionStrategy } from '../../shared/review.js';
import { openProjectToRead, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';
import { runIdOf } from './predict.js';
import { reviewRun, strategyOf } from './review-run.js';

export const NEXT_HELP = `Usage: vssl review next DIR [--run ID] [--strategy S] [--count N] [--json]

Prints the next clip(s) to review: the pending predictions of run ID (default: the run the
review is on in the app; in a new project the latest finished run with predictions), most
useful first, as CSV: path,start,end,predicted,confidence,score — predicted = the predicted
class, times in seconds from the video's first frame, score = the acquisition score (higher
first; empty where the strategy has none, e.g. mc-std without MC-dropout passes).
Clips a person labelled are left out; clips already decided are not pending.
  --strategy S   least-confidence, margin, entropy, mc-std, bald, badge, random, confident
                 (badge: uncertain clips that are unlike each other, by k-means++ over
                 gradient embeddings; its score is the place in that order, 1 first)
                 (default: the strategy chosen in the app, least-confidence in a new project)
  --count N      how many clips (default 1)
  --json         {runId, strategy, total, pending, humanLabelled, items: [{clipId, videoId,
                 path, start, end, predicted, predictedClassId, confidence, score}]}`;

export interface NextClip {
  clipId: number;
  videoId: number;
  path: string;
  start: number;
  end: number;
  /** The predicted class. */
  predicted: string;
  predictedClassId: number;
  confidence: number;
  /** null where the strategy has no score for the clip (mc-std or bald without MC passes). */
  score: number | null;
}

export interface NextReport {
  runId: number;
  strategy: AcquisitionStrategy;
  total: number;
  pending: number;
  humanLabelled: number;
  items: NextClip[];
}

const MAX_COUNT = 10_000;

function countOf(value: unknown): number {
  if (value === undefined) return 1;
  const count = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new UsageError(`review next: --count must be a whole number from 1 to ${MAX_COUNT}, not ${JSON.stringify(value)}.`);
  }
  return count;
}

async function nextClips(
  core: Core,
  dir: string,
  runId: number | undefined,
  strategy: AcquisitionStrategy | undefined,
  count: number,
): Promise<NextReport> {
  await openProjectToRead(core, dir);
  const { run, session } = await reviewRun(core, runId);
  const queue = (includeReviewed: boolean, limit: number) =>
    core.call('review:queue', {
      runId: run.id,
      strategy: strategy ?? session.strategy,
      seed: session.seed,
      filter: { minConfidence: 0, maxConfidence: 1, includeReviewed },
      limit,
    });
  // The whole queue's counts, then its first pending clips.
  const overview = await queue(true, 1);
  const page = await queue(false, count);
  const videos = new Map((await core.call('videos:list', {})).map((v) => [v.id, v.path]));
  const classes = new Map((await core.call('classes:list', {})).map((c) => [c.id, c.name]));
  return {
    runId: run.id,
    strategy: page.strategy,
    total: overview.total,
    pending: overview.pending,
    humanLabelled: overview.humanLabelled,
    items: page.items.map((item) => ({
      clipId: item.clipId,
      videoId: item.videoId,
      path: videos.get(item.videoId) ?? item.videoName,
      start: item.startSec,
      end: item.endSec,
      predicted: classes.get(item.predictedClassId) ?? `class ${item.predictedClassId}`,
      predictedClassId: item.predictedClassId,
      confidence: item.confidence,
      score: Number.isFinite(item.score) ? item.score : null,
    })),
  };
}

function printNext(report: NextReport): void {
  if (report.items.length === 0) {
    const left = report.humanLabelled > 0 ? `; ${report.humanLabelled} clips a person labelled are left out` : '';
    printLine(`No pending clips in run ${report.runId}: all ${report.total} are decided${left}.`);
    return;
  }
  printLine(csvLine(['path', 'start', 'end', 'predicted', 'confidence', 'score']));
  for (const item of report.items) {
    printLine(
      csvLine([
        item.path,
        formatSeconds(item.start),
        formatSeconds(item.end),
        item.predicted,
        item.confidence.toFixed(6),
        item.score === null ? '' : item.score.toFixed(6),
      ]),
    );
  }
}

export async function runReviewNext(args: string[]): Promise<number> {
  const command = 'review next';
  const { values, positionals } = parseCommandArgs(command, args, {
    run: { type: 'string' },
    strategy: { type: 'string' },
    count: { type: 'string' },
  });
  if (values.help) {
    printLine(NEXT_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 1, 1, 'the project folder DIR');
  const runId = runIdOf(values.run, command);
  const strategy = strategyOf(values.strategy, command);
  const count = countOf(values.count);
  const report = await withCore('cli', (core) => nextClips(core, positionals[0] as string, runId, strategy, count));
  if (values.json) printJson(report);
  else printNext(report);
  return 0;
}
