import os from 'node:os';
import path from 'node:path';
import type { ImportSummary, JobDto } from '../../shared/dto.js';
import type { CoreContext, ProjectSession } from '../core-context.js';
import type { JobContext } from '../jobs/job-manager.js';
import { importFile, type FileOutcome } from './import-file.js';
import { expandPaths } from './import-scan.js';
import { mediaServices } from './media-session.js';

export interface ImportRequest {
  paths: readonly string[];
  recursive: boolean;
}

/** Files handled at once: each mostly waits on ffprobe/ffmpeg child processes, one per core. */
const CONCURRENCY = Math.min(4, Math.max(2, os.availableParallelism()));

/** `videos:import`: queues an 'import' job and returns it at once. */
export function startImportJob(ctx: CoreContext, session: ProjectSession, request: ImportRequest): JobDto {
  const first = request.paths[0] ?? '';
  const title = request.paths.length === 1 ? `Import ${path.basename(first) || first}` : `Import ${request.paths.length} items`;
  return session.jobs.start('import', title, (job) => runImport(ctx, session, request, job));
}

async function runImport(
  ctx: CoreContext,
  session: ProjectSession,
  request: ImportRequest,
  job: JobContext,
): Promise<ImportSummary> {
  const services = mediaServices(ctx, session);
  job.progress(null, 'Looking for videos…');
  const scan = await expandPaths(request.paths, request.recursive, job.signal, (count) =>
    job.progress(null, `Looking for videos… ${count} found`),
  );
  const summary: ImportSummary = {
    kind: 'import',
    scanned: scan.files.length,
    imported: 0,
    duplicates: 0,
    relinked: 0,
    failed: [...scan.failures],
  };
  const total = scan.files.length;
  // Stops the other workers when one meets an error that ends the whole job (ffmpeg missing).
  const stop = new AbortController();
  const signal = AbortSignal.any([job.signal, stop.signal]);
  const deps = {
    tools: ctx.tools,
    session,
    signal,
    claimed: new Set<string>(),
    inlineProxy: ctx.options.backgroundMedia === false,
  };
  let next = 0;
  let finished = 0;

  const record = (file: string, outcome: FileOutcome) => {
    switch (outcome.kind) {
      case 'imported':
        summary.imported++;
        if (outcome.needsProxy) services.proxies.kick();
        break;
      case 'duplicate':
        summary.duplicates++;
        break;
      case 'relinked':
        summary.relinked++;
        break;
      case 'failed':
        summary.failed.push({ path: file, reason: outcome.reason });
        break;
    }
    if (outcome.id !== null) services.changes.add(outcome.id);
  };

  const worker = async () => {
    while (!signal.aborted && next < total) {
      const index = next++;
      const file = scan.files[index]!;
      job.progress(finished / total, `Importing ${index + 1} of ${total}: ${path.basename(file)}`);
      try {
        record(file, await importFile(deps, file));
      } catch (err) {
        if (signal.aborted) return;
        stop.abort();
        throw err;
      }
      finished++;
    }
  };

  try {
    const results = await Promise.allSettled(Array.from({ length: CONCURRENCY }, worker));
    const fatal = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (fatal) throw fatal.reason;
  } finally {
    services.changes.flush();
  }
  job.progress(1, `Imported ${summary.imported} of ${total}`);
  return summary;
}
