import path from 'node:path';
import { predictionFormats, type PredictionFormat } from '../../shared/run-dto.js';
import type { Command } from '../command.js';
import { openProjectToRead, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';
import { runIdOf } from './predict.js';
import { IMPORT_HELP, runPredictionsImport } from './predictions-import.js';

const EXPORT_HELP = `Usage: vssl predictions export DIR FILE --format csv|activitynet [--run ID] [--json]

Writes the predictions of run ID (default: the newest run with predictions) to FILE.
  csv          path,start,end,label,confidence,uncertainty — one row per clip; times in
               seconds from the video's first frame; uncertainty = MC-dropout std of the
               predicted class (empty without MC passes); path relative to FILE's folder
               when the video is below it
  activitynet  {"version", "results": {video: [{"label", "score", "segment": [s, e]}]}},
               video = file stem (the ActivityNet detection results format)`;

const HELP = `Usage: vssl predictions export DIR FILE --format csv|activitynet [--run ID] [--json]
       vssl predictions import DIR FILE --format csv|activitynet|labelstudio [options]

Writes a run's predictions for other tools, or reads predictions made elsewhere as a run
to review. See "vssl predictions export --help" and "vssl predictions import --help".`;

function formatOf(value: unknown): PredictionFormat {
  const format = predictionFormats.find((f) => f === value);
  if (!format) {
    throw new UsageError(
      value === undefined
        ? `predictions export: --format is required (${predictionFormats.join(' or ')}).`
        : `predictions export: unknown format ${JSON.stringify(value)} (${predictionFormats.join(' or ')}).`,
    );
  }
  return format;
}

export const predictionsCommand: Command = {
  name: 'predictions',
  summary: "export a run's predictions, or import predictions made elsewhere to review",
  help: HELP,
  async run(args) {
    if (args[0] === 'import') return runPredictionsImport(args.slice(1));
    const { values, positionals } = parseCommandArgs('predictions', args, {
      format: { type: 'string' },
      run: { type: 'string' },
    });
    const [verb, ...rest] = positionals;
    if (values.help) {
      printLine(verb === 'export' ? EXPORT_HELP : verb === 'import' ? IMPORT_HELP : HELP);
      return 0;
    }
    if (verb !== 'export') {
      throw new UsageError(
        verb === undefined
          ? 'predictions: missing "export" or "import" (see "vssl predictions --help").'
          : `predictions: unknown action ${JSON.stringify(verb)} (export or import).`,
      );
    }
    expectPositionals('predictions export', rest, 2, 2, 'the project folder DIR and the FILE to write');
    const [dir, file] = rest as [string, string];
    const format = formatOf(values.format);
    const runId = runIdOf(values.run, 'predictions export');
    const report = await withCore('cli', async (core) => {
      await openProjectToRead(core, dir);
      return core.call('predictions:export', {
        file: path.resolve(file),
        format,
        ...(runId !== undefined ? { runId } : {}),
      });
    });
    if (values.json) printJson(report);
    else printLine(`Wrote ${report.rows} predictions to ${report.file}.`);
    return 0;
  },
};
