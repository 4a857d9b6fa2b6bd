import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../core/core.js';
import type { ImportFailure, ImportSummary, JobDto, ProxySummary } from '../../shared/dto.js';
import { cancelOnInterrupt } from '../cancel-on-interrupt.js';
import type { Command } from '../command.js';
import { openProject, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { ProgressBar } from '../progress-bar.js';
import { waitForAllJobs } from '../wait-for-jobs.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';

export interface ImportReport {
  state: JobDto['state'];
  error: string | null;
  import: ImportSummary;
  proxies: { made: number; failed: ImportFailure[] };
}

const EMPTY_SUMMARY: ImportSummary = { kind: 'import', scanned: 0, imported: 0, duplicates: 0, relinked: 0, failed: [] };

async function runImport(core: Core, dir: string, paths: string[], recursive: boolean): Promise<ImportReport> {
  await openProject(core, dir);
  return importIntoOpenProject(core, paths, recursive);
}

/** Imports into the project the core has open and waits for the import and the jobs it set off. */
export async function importIntoOpenProject(core: Core, paths: string[], recursive: boolean): Promise<ImportReport> {
  const bar = new ProgressBar(core);
  try {
    const { jobId } = await core.call('videos:import', { paths, recursive });
    const stopListening = cancelOnInterrupt(core, jobId, 'import');
    let jobs: JobDto[];
    try {
      // Waits for the import and for the poster/proxy jobs it set off.
      jobs = await waitForAllJobs(core);
    } finally {
      stopListening();
    }
    const job = jobs.find((j) => j.id === jobId);
    if (!job) throw new Error(`the import job ${jobId} disappeared.`);
    const proxies = jobs
      .filter((j) => j.updatedAt >= job.createdAt && j.result?.kind === 'proxy')
      .map((j) => j.result as ProxySummary);
    return {
      state: job.state,
      error: job.error,
      import: job.result?.kind === 'import' ? job.result : EMPTY_SUMMARY,
      proxies: {
        made: proxies.reduce((n, p) => n + p.made, 0),
        failed: proxies.flatMap((p) => p.failed),
      },
    };
  } finally {
    bar.stop();
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function printReport(report: ImportReport): void {
  const s = report.import;
  printLine(
    `Imported ${plural(s.imported, 'video')} from ${plural(s.scanned, 'file')}: ` +
      `${plural(s.duplicates, 'duplicate')} skipped, ${s.relinked} relinked, ${s.failed.length} failed.`,
  );
  for (const failure of s.failed) printLine(`  failed: ${failure.path}: ${failure.reason}`);
  if (report.proxies.made > 0 || report.proxies.failed.length > 0) {
    printLine(`Playable proxies: ${report.proxies.made} made, ${report.proxies.failed.length} failed.`);
    for (const failure of report.proxies.failed) printLine(`  proxy failed: ${failure.path}: ${failure.reason}`);
  }
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import video files or folders into a project',
  help: `Usage: vssl import DIR PATH... [--no-recursive] [--json]

Imports videos into the project in DIR. Each PATH is a video file or a folder (searched
recursively unless --no-recursive). Waits until posters and playable proxies are made, then
prints what was imported, skipped as a duplicate, relinked, or failed (with the reason).
Files that fail do not stop the others. Exit code 0 when some video is in the project
afterwards (imported, relinked or already there), 1 when every file failed or none was found,
2 for bad usage (a PATH that does not exist is bad usage: nothing is recorded for it).
  --no-recursive   only the files directly inside each folder
  --json           print the summary as JSON`,
  async run(args) {
    const { values, positionals } = parseCommandArgs('import', args, { recursive: { type: 'boolean', default: true } });
    if (values.help) {
      printLine(this.help);
      return 0;
    }
    expectPositionals('import', positionals, 2, Number.POSITIVE_INFINITY, 'the project folder DIR and at least one PATH');
    const [dir, ...rest] = positionals as [string, ...string[]];
    const paths = rest.map((p) => path.resolve(p));
    // A mistyped path is the caller's mistake, not a video that failed: it must not become a row.
    const absent = paths.find((p) => !fs.existsSync(p));
    if (absent !== undefined) {
      throw new UsageError(`import: there is no file or folder ${JSON.stringify(absent)} (see "vssl import --help").`);
    }
    const report = await withCore('cli', (core) => runImport(core, dir, paths, values.recursive !== false));
    if (values.json) printJson(report);
    else printReport(report);
    if (report.state === 'cancelled') throw new Error('the import was cancelled.');
    if (report.state !== 'succeeded') throw new Error(`the import ${report.state}: ${report.error ?? 'no reason given'}`);
    const s = report.import;
    if (s.imported + s.relinked + s.duplicates === 0) {
      throw new Error(
        s.failed.length > 0
          ? `nothing was imported: ${plural(s.failed.length, 'file')} failed.`
          : 'nothing was imported: no video files were found.',
      );
    }
    return 0;
  },
};
