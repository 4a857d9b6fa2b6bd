import type { HandlerGroup } from '../../api/handler-types.js';
import { requireSession, type CoreContext } from '../../core-context.js';
import { exportAnomalyModel } from './export/anomaly-model-export.js';

export type AnomalyRunMethods =
  | 'anomaly:options'
  | 'anomaly:train'
  | 'anomaly:resume'
  | 'anomaly:cancel'
  | 'anomaly:runs'
  | 'anomaly:run'
  | 'anomaly:metrics'
  | 'anomaly:delete'
  | 'anomaly:score'
  | 'anomaly:model:export';

export function anomalyRunHandlers(ctx: CoreContext): HandlerGroup<AnomalyRunMethods> {
  const anomaly = () => requireSession(ctx).anomaly;
  return {
    'anomaly:options': () => anomaly().options(),
    // A run that leaves its threads at 0 gets the preferences' CPU threads (itself 0: one per core), as classification does.
    'anomaly:train': ({ settings, name, normalVideoIds }) => anomaly().start({ ...settings, threads: settings.threads || ctx.prefs.get().cpuThreads }, name, normalVideoIds),
    'anomaly:resume': ({ runId }) => anomaly().resume(runId),
    'anomaly:cancel': ({ runId }) => anomaly().cancel(runId),
    'anomaly:runs': () => anomaly().runs.list(),
    'anomaly:run': ({ id }) => anomaly().get(id),
    'anomaly:metrics': ({ id }) => {
      anomaly().get(id);
      return anomaly().runs.metrics(id);
    },
    'anomaly:delete': async ({ id }) => {
      await anomaly().remove(id);
      return null;
    },
    'anomaly:score': ({ runId, videoIds, options }) => anomaly().score(runId, videoIds, options),
    'anomaly:model:export': ({ runId, dir, format }) => exportAnomalyModel(requireSession(ctx).project, anomaly().get(runId), dir, format),
  };
}
