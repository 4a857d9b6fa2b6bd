import type { HandlerGroup } from '../../../api/handler-types.js';
import { requireSession, type CoreContext } from '../../../core-context.js';
import { startDatasetExport } from './dataset-export.js';

export function datasetExportHandlers(ctx: CoreContext): HandlerGroup<'dataset:export'> {
  return {
    'dataset:export': (params) => {
      const { project, jobs, labels } = requireSession(ctx);
      return startDatasetExport({ project, jobs, clips: labels.clips, tools: ctx.tools }, params);
    },
  };
}
