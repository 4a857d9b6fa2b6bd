import path from 'node:path';
import { openProjectToRead, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs } from '../usage.js';
import { anomalyRunFor, anomalyRunIdOf } from './anomaly-runs.js';

export const EXPORT_HELP = `Usage: vssl anomaly export DIR FILE [--run ID] [--json]

Writes the per-frame scores of anomaly run ID (default: the newest run that scored a video) to
FILE as CSV with the header path,frame,time,score,x,y,w,h: one row per frame of every video the
run scored; frame 0-based, time in seconds from the video's first frame, score the smoothed score,
x,y,w,h the box (video pixels, top-left corner and size) of the region that made the frame's
score, empty where no region did or the video was scored before boxes were kept.
  --json   {runId, file, rows}`;

export async function runAnomalyExport(args: string[]): Promise<number> {
  const command = 'anomaly export';
  const { values, positionals } = parseCommandArgs(command, args, { run: { type: 'string' } });
  if (values.help) {
    printLine(EXPORT_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 2, 2, 'the project folder DIR and the FILE to write');
  const [dir, file] = positionals as [string, string];
  const runId = anomalyRunIdOf(values.run, command);
  const report = await withCore('cli', async (core) => {
    await openProjectToRead(core, dir);
    const run = await anomalyRunFor(core, runId, 'scores');
    const written = await core.call('anomaly:export', { runId: run.id, file: path.resolve(file) });
    return { runId: run.id, ...written };
  });
  if (values.json) printJson(report);
  else printLine(`Wrote ${report.rows} frame scores of anomaly run ${report.runId} to ${report.file}.`);
  return 0;
}
