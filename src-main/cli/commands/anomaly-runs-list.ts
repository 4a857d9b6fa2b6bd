import { openProjectToRead, withCore } from '../open-core.js';
import { formatTable, printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs } from '../usage.js';
import { anomalyRunSummary } from './anomaly-train.js';

export const RUNS_HELP = `Usage: vssl anomaly runs DIR [--json]

Lists the anomaly runs of the project in DIR, newest first: id, status, epochs, the normal
footage each learnt from, whether it has a model, and how many videos it scored.
  --json   [{runId, name, status, error, epochs, settings, normal, tubes, metrics, hasModel,
           scoredVideos}]`;

export async function runAnomalyRuns(args: string[]): Promise<number> {
  const command = 'anomaly runs';
  const { values, positionals } = parseCommandArgs(command, args, {});
  if (values.help) {
    printLine(RUNS_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 1, 1, 'the project folder DIR');
  const runs = await withCore('cli', async (core) => {
    await openProjectToRead(core, positionals[0] as string);
    return (await core.call('anomaly:runs', {})).sort((a, b) => b.id - a.id);
  });
  if (values.json) {
    printJson(runs.map((run) => ({ ...anomalyRunSummary(run), scoredVideos: run.scoredVideos })));
    return 0;
  }
  if (runs.length === 0) {
    printLine('No anomaly runs yet: train one with "vssl anomaly train".');
    return 0;
  }
  const rows = runs.map((r) => [
    String(r.id),
    r.name,
    r.status,
    `${r.epochsDone}/${r.settings.epochs}`,
    `${r.normal.frames} frames, ${r.normal.videos} videos`,
    r.hasModel ? 'yes' : 'no',
    String(r.scoredVideos),
  ]);
  printLine(formatTable(['id', 'name', 'status', 'epochs', 'normal footage', 'model', 'scored'], rows, new Set([0, 6])));
  return 0;
}
