import path from 'node:path';
import { anomalyMarkExportFormats, type AnomalyMarkExportFormat } from '../../shared/anomaly.js';
import { openProjectToRead, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';

export const MARKS_HELP = `Usage: vssl anomaly marks export DIR FILE [--format csv|json] [--json]

Writes the project's anomaly marks to FILE. csv (the default) is path,start,end in seconds: the
intervals marked anomalous, the ground-truth format "vssl anomaly eval --truth" and the app's
import read. json is {"marks": [...]} with every mark of both kinds (anomaly and normal): path,
kind, source, startFrame, endFrame (frames [start, end)), start, end (seconds), author, createdAt.
  --json   {file, format, rows}`;

function formatOf(raw: unknown): AnomalyMarkExportFormat {
  if (raw === undefined) return 'csv';
  const format = anomalyMarkExportFormats.find((f) => f === raw);
  if (!format) throw new UsageError(`anomaly marks export: --format is csv or json, not ${JSON.stringify(raw)}.`);
  return format;
}

async function runMarksExport(args: string[]): Promise<number> {
  const command = 'anomaly marks export';
  const { values, positionals } = parseCommandArgs(command, args, { format: { type: 'string' } });
  if (values.help) {
    printLine(MARKS_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 2, 2, 'the project folder DIR and the FILE to write');
  const [dir, file] = positionals as [string, string];
  const format = formatOf(values.format);
  const written = await withCore('cli', async (core) => {
    await openProjectToRead(core, dir);
    return core.call('anomaly:marks:export', { file: path.resolve(file), format });
  });
  if (values.json) printJson({ ...written, format });
  else printLine(`Wrote ${written.rows} anomaly mark(s) as ${format} to ${written.file}.`);
  return 0;
}

/** `vssl anomaly marks SUB`: only `export` so far (marks are made with "vssl anomaly mark"). */
export async function runAnomalyMarks(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'export') return runMarksExport(rest);
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    printLine(MARKS_HELP);
    return 0;
  }
  throw new UsageError(
    sub === undefined
      ? 'anomaly marks: say export (see "vssl anomaly marks --help").'
      : `anomaly marks: unknown sub-command ${JSON.stringify(sub)}: say export (see "vssl anomaly marks --help").`,
  );
}
