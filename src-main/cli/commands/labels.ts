import path from 'node:path';
import { labelFormats } from '../../shared/contract.js';
import type { LabelExportReport, LabelFormat, LabelImportReport } from '../../shared/dto.js';
import type { Command } from '../command.js';
import { openProject, openProjectToRead, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';

const FORMAT_HELP = `Formats (--format F):
  csv          path,start,end,label[,not] — path absolute or relative to the CSV's folder, times
               in seconds from the video's first frame, empty label = an unlabelled segment;
               not = classes ruled out for the clip ("not class c"), separated by |
               (written when the project has such negative labels; only csv carries them)
  kinetics     label,youtube_id,time_start,time_end,split — videos matched by file stem
               (also <youtube_id>_<start:06d>_<end:06d> clips)
  mmaction     "rel/path.mp4 label_index" lines + a classes file (one name per line, line 1 =
               index 0; --classes FILE, default <list name>.classes.txt); whole-video labels
  activitynet  {"database": {id: {"annotations": [{"segment": [s, e], "label"}]}}}, id = file stem
  labelstudio  JSON tasks with TimelineLabels ranges: frames counted from 1, both ends
               included, at the task's data.fps or --fps (Label Studio's default is 24)`;

const IMPORT_HELP = `Usage: vssl labels import DIR FILE --format F [--no-new-classes] [--overwrite]
                         [--dry-run] [--fps N] [--classes FILE] [--json]

Imports the labels in FILE into the project in DIR, as one change that "undo" takes back.
A row whose interval matches a clip within half a frame labels that clip; any other row
creates a segment on the nearest frame boundaries. Rows that cannot be used are listed with
the reason; the rest are imported. Exit code 0 when some row was imported (even with skipped
rows), 1 when none was (every row skipped, or none in FILE) or FILE could not be read as that
format (nothing is written), 2 for bad usage.
  --no-new-classes  skip rows whose class the project does not have (default: create it)
  --overwrite       replace labels a person gave a matched clip, and a class a person ruled
                    out that a row labels it with (those from an earlier import are always
                    replaced; without this, such rows are skipped)
  --dry-run         report what would be imported, write nothing
  --fps N           labelstudio: frame rate of tasks that carry none (default 24)
  --classes FILE    mmaction: the classes file
  --json            print the report as JSON

${FORMAT_HELP}`;

const EXPORT_HELP = `Usage: vssl labels export DIR FILE --format F [--fps N] [--classes FILE] [--json]

Writes the labels of the project in DIR to FILE: every user segment and every labelled clip
(unlabelled automatic clips are left out: they are re-cut from the segmentation). Formats
that cannot carry something (unlabelled segments, partial clips in mmaction) say what was left
out. Times are seconds from each video's first frame; frames are 0-based, end exclusive
(Label Studio: counted from 1, both ends included).
  --fps N           labelstudio: write ranges at N fps (default: each video's own, in data.fps)
  --classes FILE    mmaction: where to write the classes file
  --json            print the report as JSON

${FORMAT_HELP}`;

const HELP = `Usage: vssl labels import DIR FILE --format F [options]
       vssl labels export DIR FILE --format F [options]

Imports labels from, or exports them to, another tool's format. See
"vssl labels import --help" and "vssl labels export --help".

${FORMAT_HELP}`;

function formatOf(value: unknown, command: string): LabelFormat {
  if (typeof value !== 'string') {
    throw new UsageError(`${command}: --format is required (one of ${labelFormats.join(', ')}).`);
  }
  const format = labelFormats.find((f) => f === value);
  if (!format) throw new UsageError(`${command}: unknown format ${JSON.stringify(value)} (one of ${labelFormats.join(', ')}).`);
  return format;
}

export function fpsOf(value: unknown, command: string, format: LabelFormat): number | undefined {
  if (value === undefined) return undefined;
  if (format !== 'labelstudio') throw new UsageError(`${command}: --fps applies to --format labelstudio only.`);
  const fps = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(fps) || fps <= 0 || fps > 1000) {
    throw new UsageError(`${command}: --fps must be a frame rate above 0, not ${JSON.stringify(value)}.`);
  }
  return fps;
}

function classesOf(value: unknown, command: string, format: LabelFormat): string | undefined {
  if (value === undefined) return undefined;
  if (format !== 'mmaction') throw new UsageError(`${command}: --classes applies to --format mmaction only.`);
  if (typeof value !== 'string' || value === '') throw new UsageError(`${command}: --classes needs a file.`);
  return path.resolve(value);
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function printImport(report: LabelImportReport): void {
  const verb = report.dryRun ? 'Would import' : 'Imported';
  const classes = report.createdClasses.length
    ? `, ${plural(report.createdClasses.length, 'class', 'classes')} created (${report.createdClasses.join(', ')})`
    : '';
  printLine(
    `${verb} ${plural(report.applied, 'row')} from ${path.basename(report.file)}: ` +
      `${plural(report.labelledClips, 'clip')} labelled, ${plural(report.createdClips, 'segment')} created${classes}.`,
  );
  if (report.skipped.length > 0) {
    printLine(`Skipped ${plural(report.skipped.length, 'row')}:`);
    for (const skip of report.skipped) printLine(`  ${skip.where}: ${skip.reason}`);
  }
  for (const note of report.notes) printLine(`Note: ${note}`);
  if (report.dryRun) printLine('Dry run: nothing was written.');
}

function printExport(report: LabelExportReport): void {
  printLine(`Wrote ${plural(report.rows, 'row')} to ${report.file}.`);
  for (const file of report.files.filter((f) => f !== report.file)) printLine(`Wrote ${file}.`);
  for (const note of report.notes) printLine(`Note: ${note}`);
}

async function runImport(args: string[]): Promise<number> {
  const command = 'labels import';
  const { values, positionals } = parseCommandArgs(command, args, {
    format: { type: 'string' },
    'new-classes': { type: 'boolean', default: true },
    overwrite: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    fps: { type: 'string' },
    classes: { type: 'string' },
  });
  if (values.help) {
    printLine(IMPORT_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 2, 2, 'the project folder DIR and the label FILE');
  const format = formatOf(values.format, command);
  const fps = fpsOf(values.fps, command, format);
  const classesFile = classesOf(values.classes, command, format);
  const [dir, file] = positionals as [string, string];
  const report = await withCore('cli', async (core) => {
    await openProject(core, dir);
    return core.call('labels:import', {
      file: path.resolve(file),
      format,
      newClasses: values['new-classes'] !== false,
      overwrite: values.overwrite === true,
      dryRun: values['dry-run'] === true,
      ...(fps !== undefined ? { fps } : {}),
      ...(classesFile !== undefined ? { classesFile } : {}),
    });
  });
  if (values.json) printJson(report);
  else printImport(report);
  if (report.applied === 0) {
    const n = report.skipped.length;
    const why = n === 0 ? 'the file has no rows' : n === 1 ? 'its only row was skipped' : `all ${n} rows were skipped`;
    throw new Error(`no labels ${report.dryRun ? 'would be' : 'were'} imported: ${why}.`);
  }
  return 0;
}

async function runExport(args: string[]): Promise<number> {
  const command = 'labels export';
  const { values, positionals } = parseCommandArgs(command, args, {
    format: { type: 'string' },
    fps: { type: 'string' },
    classes: { type: 'string' },
  });
  if (values.help) {
    printLine(EXPORT_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 2, 2, 'the project folder DIR and the label FILE');
  const format = formatOf(values.format, command);
  const fps = fpsOf(values.fps, command, format);
  const classesFile = classesOf(values.classes, command, format);
  const [dir, file] = positionals as [string, string];
  const report = await withCore('cli', async (core) => {
    await openProjectToRead(core, dir);
    return core.call('labels:export', {
      file: path.resolve(file),
      format,
      ...(fps !== undefined ? { fps } : {}),
      ...(classesFile !== undefined ? { classesFile } : {}),
    });
  });
  if (values.json) printJson(report);
  else printExport(report);
  return 0;
}

export const labelsCommand: Command = {
  name: 'labels',
  summary: 'import or export labels (csv, kinetics, mmaction, activitynet, labelstudio)',
  help: HELP,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'import') return runImport(rest);
    if (sub === 'export') return runExport(rest);
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      printLine(HELP);
      return 0;
    }
    throw new UsageError(
      sub === undefined
        ? 'labels: say import or export (see "vssl labels --help").'
        : `labels: unknown sub-command ${JSON.stringify(sub)}: say import or export (see "vssl labels --help").`,
    );
  },
};
