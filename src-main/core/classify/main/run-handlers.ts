import { ApiError } from '../../../shared/errors.js';
import type { HandlerGroup } from '../../api/handler-types.js';
import { requireSession, type CoreContext } from '../../core-context.js';
import { exportModel } from './model-export.js';
import { writePredictions } from './prediction-export.js';
import { importPredictions } from './prediction-import.js';
import { probeBackend } from '../../engine/backend-probe.js';
import { trainOptions } from './train-options.js';

type RunMethods =
  | 'train:options'
  | 'train:start'
  | 'train:resume'
  | 'train:cancel'
  | 'runs:list'
  | 'runs:get'
  | 'runs:metrics'
  | 'runs:evaluation'
  | 'runs:evaluation:clips'
  | 'runs:delete'
  | 'predict:start'
  | 'predictions:list'
  | 'predictions:export'
  | 'predictions:import'
  | 'models:export';

export function runHandlers(ctx: CoreContext): HandlerGroup<RunMethods> {
  const training = () => requireSession(ctx).training;
  return {
    'train:options': async () => {
      requireSession(ctx);
      const backend = await probeBackend(ctx.engine()).then(
        ({ name, reason, gpu }) => ({ name, reason, gpu }),
        // The view still opens: the run itself will say what failed.
        (error: unknown) => ({ name: 'unknown', reason: `the engine could not check its backend: ${error instanceof Error ? error.message : String(error)}`, gpu: false }),
      );
      // The project as it is after the probe, which can take seconds on a loaded machine: the one open before may have closed meanwhile.
      const options = trainOptions(requireSession(ctx).project, backend);
      const { cpuThreads } = ctx.prefs.get();
      for (const defaults of Object.values(options.defaults)) defaults.threads = cpuThreads;
      return options;
    },
    // A run that leaves its threads at 0 gets the preferences' count (itself 0: one per core).
    'train:start': ({ settings, name }) => training().start({ ...settings, threads: settings.threads || ctx.prefs.get().cpuThreads }, name),
    'train:resume': ({ runId }) => training().resume(runId),
    'train:cancel': ({ runId }) => training().cancel(runId),
    'runs:list': () => training().runs.list(),
    'runs:get': ({ id }) => training().get(id),
    'runs:metrics': ({ id }) => {
      training().get(id);
      return training().runs.metrics(id);
    },
    'runs:evaluation': ({ id }) => training().evaluations.evaluation(training().get(id)),
    'runs:evaluation:clips': ({ id, trueClassId, predictedClassId }) => {
      const run = training().get(id);
      for (const classId of [trueClassId, predictedClassId]) {
        if (!run.classes.some((c) => c.id === classId)) {
          throw new ApiError('INVALID_PARAMS', `Class ${classId} is not one of run ${id}'s classes (${run.classes.map((c) => `${c.id} ${c.name}`).join(', ')}).`);
        }
      }
      return training().evaluations.cellClips(id, trueClassId, predictedClassId);
    },
    'runs:delete': async ({ id }) => {
      await training().remove(id);
      return null;
    },
    'predict:start': ({ runId, mcPasses }) => training().predict(runId, mcPasses),
    'predictions:list': ({ runId, classId, videoId, unlabelledOnly, offset, limit }) => {
      const run = training().get(runId);
      const predictions = training().predictions;
      const query = {
        unlabelledOnly,
        offset,
        limit,
        ...(classId !== undefined ? { classId } : {}),
        ...(videoId !== undefined ? { videoId } : {}),
      };
      return { runId, classes: run.classes, total: predictions.count(runId, query), items: predictions.page(runId, query) };
    },
    'predictions:export': ({ runId, file, format }) => {
      const service = training();
      const run = runId !== undefined ? service.get(runId) : service.latestPredicted();
      const rows = writePredictions(file, format, service.predictions.all(run.id), run.classes);
      return { file, rows };
    },
    'predictions:import': async ({ file, format, createClasses, name, fps }) => {
      const session = requireSession(ctx);
      const { clips, classes } = session.labels;
      await clips.prepareTiming();
      const { report, run } = importPredictions(
        {
          db: session.project.db,
          videos: session.videos,
          classes,
          runs: session.training.runs,
          predictions: session.training.predictions,
          timingOf: (row) => clips.timingOf(row),
          ensureSegmented: () => void clips.ensureSegmented(),
        },
        { file, format, createClasses, ...(name !== undefined ? { name } : {}), ...(fps !== undefined ? { fps } : {}) },
      );
      if (report.createdClasses.length > 0) ctx.events.emit('classes:changed', {});
      if (run) ctx.events.emit('runs:changed', run);
      return report;
    },
    'models:export': async ({ runId, dir, format }) => exportModel(requireSession(ctx).project, training().getTrained(runId), dir, format),
  };
}
