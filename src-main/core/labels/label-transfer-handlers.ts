import type { HandlerGroup } from '../api/handler-types.js';
import { requireSession, type CoreContext } from '../core-context.js';
import { LabelTransfer } from './label-transfer.js';

export function labelTransferHandlers(ctx: CoreContext): HandlerGroup<'labels:import' | 'labels:export'> {
  /** A transfer over the open project, with the exact timing of every video ready. */
  const transfer = async () => {
    const session = requireSession(ctx);
    const clips = session.labels.clips;
    await clips.prepareTiming();
    return new LabelTransfer({
      db: session.project.db,
      projectDir: session.project.dir,
      videos: session.videos,
      journal: session.labels.journal,
      author: session.author,
      timingOf: (row) => clips.timingOf(row),
      ensureSegmented: () => void clips.ensureSegmented(),
    });
  };
  return {
    'labels:import': async (params) => {
      const { report, videoIds } = (await transfer()).import(params);
      if (report.createdClasses.length > 0 && !report.dryRun) ctx.events.emit('classes:changed', {});
      if (videoIds.length > 0) ctx.events.emit('labels:changed', { videoIds });
      return report;
    },
    // Writing a file changes nothing in the project: no event.
    'labels:export': async (params) => (await transfer()).export(params),
  };
}
