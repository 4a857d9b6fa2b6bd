import path from 'node:path';
import { anomalyTaskInfo, anomalyTasks, TEACHER_TASK, type AnomalyEvalDto, type AnomalyTaskName } from '../../shared/anomaly.js';
import { openProjectToRead, withCore } from '../open-core.js';
import { formatTable, printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs } from '../usage.js';
import { anomalyRunFor, anomalyRunIdOf } from './anomaly-runs.js';

export const EVAL_HELP = `Usage: vssl anomaly eval DIR [--truth FILE] [--run ID] [--json]

Frame-level AUC of the smoothed scores of anomaly run ID (default: the newest run that scored a
video) against ground truth: micro AUC (every frame of every evaluated video together), macro
AUC (the mean of the per-video AUCs), AUC-PR (average precision over the same frames, as
scikit-learn's average_precision_score) with the score threshold of best F1 (its precision and
recall), the micro AUC of each task's part alone, and each video's AUC ("-" where a video's
truth is all one class). Ground truth is FILE, or without --truth the
project's anomaly marks (a video with any mark is annotated; frames inside anomaly marks are
anomalous). FILE is either CSV with the header path,start,end listing anomalous intervals in
seconds (videos it names are annotated, their other frames normal), or a per-frame 0/1 .npy or
.txt whose name matches one video. Videos with truth that the run did not score are listed.
  --json   {runId, truth, micro, macro, averagePrecision, bestF1: {threshold, f1, precision,
           recall}, perTask, videos: [{videoId, path, frames,
           anomalousFrames, auc}], unscored: [{videoId, path}]}`;

const auc = (value: number | null) => (value === null ? '-' : value.toFixed(4));

function printEval(result: AnomalyEvalDto, truth: string): void {
  printLine(`Anomaly run ${result.runId} against ${truth}:`);
  printLine(`  micro AUC ${auc(result.micro)}   macro AUC ${auc(result.macro)}   AUC-PR ${auc(result.averagePrecision)}`);
  const best = result.bestF1;
  if (best !== null) {
    printLine(
      `  best F1 ${best.f1.toFixed(4)} at score ≥ ${best.threshold.toPrecision(4)} (precision ${best.precision.toFixed(4)}, recall ${best.recall.toFixed(4)})`,
    );
  }
  const tasks: AnomalyTaskName[] = [...anomalyTasks];
  if (result.perTask[TEACHER_TASK] !== undefined) tasks.push(TEACHER_TASK);
  printLine(`  per task (micro AUC): ${tasks.map((t) => `${anomalyTaskInfo[t].name} ${auc(result.perTask[t] ?? null)}`).join(', ')}`);
  if (result.videos.length > 0) {
    const rows = result.videos.map((v) => [v.path, String(v.frames), String(v.anomalousFrames), auc(v.auc)]);
    printLine(
      formatTable(['path', 'frames', 'anomalous', 'AUC'], rows, new Set([1, 2, 3]))
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n'),
    );
  } else {
    printLine('  no video with ground truth was scored by this run.');
  }
  for (const v of result.unscored) printLine(`  not scored by this run: ${v.path}`);
}

export async function runAnomalyEval(args: string[]): Promise<number> {
  const command = 'anomaly eval';
  const { values, positionals } = parseCommandArgs(command, args, { truth: { type: 'string' }, run: { type: 'string' } });
  if (values.help) {
    printLine(EVAL_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 1, 1, 'the project folder DIR');
  const runId = anomalyRunIdOf(values.run, command);
  const truthFile = typeof values.truth === 'string' ? path.resolve(values.truth) : undefined;
  const result = await withCore('cli', async (core) => {
    await openProjectToRead(core, positionals[0] as string);
    const run = await anomalyRunFor(core, runId, 'scores');
    return core.call('anomaly:eval', { runId: run.id, ...(truthFile ? { truthFile } : {}) });
  });
  if (values.json) printJson(result);
  else printEval(result, truthFile ?? 'the anomaly marks');
  return 0;
}
