import path from 'node:path';
import { predictionImportFormats, type PredictionImportFormat, type PredictionImportReport } from '../../shared/run-dto.js';
import { openProject, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';
import { fpsOf } from './labels.js';

export const IMPORT_HELP = `Usage: vssl predictions import DIR FILE --format csv|activitynet|labelstudio
                              [--create-classes] [--name NAME] [--fps N] [--json]

Reads predictions made elsewhere into a new run of kind "imported", whose pseudo-labels are
reviewed like a trained run's ("vssl review"). No label is written: a clip keeps its label,
and only review decisions label clips. The run has no model (it cannot predict or be exported).
  csv          path,start,end,label,confidence[,uncertainty] — what "vssl predictions export"
               writes; times in seconds from the video's first frame
  activitynet  {"results": {video: [{"label", "score", "segment": [s, e]}]}}; video = file
               stem, with or without the "v_" prefix
  labelstudio  the "predictions" of Label Studio tasks (score of the prediction, or of a
               result); --fps N: frame rate of tasks that carry none (default 24)
Videos match by path (absolute or relative to FILE's folder), else by file name when one video
has it. Classes match by name, ignoring case; an unknown class is skipped unless
--create-classes. Confidence must be in 0..1; a segment must lie inside its video.
Segments map onto the project's clips: a segment covers every clip it overlaps by at least
half of the clip, and always the clip it overlaps most; a clip covered by several segments
takes the one overlapping it most (then the higher confidence, then the earlier in FILE).
Every entry not imported is listed with the reason; exits 1 when nothing was imported.`;

function formatOf(value: unknown): PredictionImportFormat {
  const format = predictionImportFormats.find((f) => f === value);
  if (!format) {
    throw new UsageError(
      value === undefined
        ? `predictions import: --format is required (${predictionImportFormats.join(', ')}).`
        : `predictions import: unknown format ${JSON.stringify(value)} (${predictionImportFormats.join(', ')}).`,
    );
  }
  return format;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function printReport(report: PredictionImportReport): void {
  if (report.run) {
    printLine(
      `Imported ${plural(report.clips, 'prediction')} (from ${plural(report.usable, 'entry', 'entries')}) ` +
        `as run ${report.run.id} (${report.run.name}).`,
    );
  }
  if (report.createdClasses.length > 0) printLine(`Created ${plural(report.createdClasses.length, 'class', 'classes')}: ${report.createdClasses.join(', ')}.`);
  if (report.skipped.length > 0) {
    printLine(`Skipped ${plural(report.skipped.length, 'entry', 'entries')}:`);
    for (const skip of report.skipped) printLine(`  ${skip.where}: ${skip.reason}`);
  }
  const missing = report.unknownClasses.filter((name) => !report.createdClasses.includes(name));
  if (missing.length > 0) {
    printLine(`Unknown classes: ${missing.join(', ')} (create them, rename them in the file, or pass --create-classes).`);
  }
  for (const note of report.notes) printLine(`Note: ${note}`);
  if (report.run) printLine(`Review them with: vssl review next DIR --run ${report.run.id}`);
}

export async function runPredictionsImport(args: string[]): Promise<number> {
  const command = 'predictions import';
  const { values, positionals } = parseCommandArgs(command, args, {
    format: { type: 'string' },
    'create-classes': { type: 'boolean' },
    name: { type: 'string' },
    fps: { type: 'string' },
  });
  if (values.help) {
    printLine(IMPORT_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 2, 2, 'the project folder DIR and the prediction FILE');
  const [dir, file] = positionals as [string, string];
  const format = formatOf(values.format);
  const fps = fpsOf(values.fps, command, format);
  const name = typeof values.name === 'string' ? values.name : undefined;
  const report = await withCore('cli', async (core) => {
    await openProject(core, dir);
    return core.call('predictions:import', {
      file: path.resolve(file),
      format,
      createClasses: values['create-classes'] === true,
      ...(name !== undefined ? { name } : {}),
      ...(fps !== undefined ? { fps } : {}),
    });
  });
  if (values.json) printJson(report);
  else printReport(report);
  if (!report.run) {
    const n = report.skipped.length;
    const why = n === 0 ? 'the file has no predictions' : n === 1 ? 'its only entry was skipped' : `all ${n} entries were skipped`;
    throw new Error(`no predictions were imported: ${why}.`);
  }
  return 0;
}
