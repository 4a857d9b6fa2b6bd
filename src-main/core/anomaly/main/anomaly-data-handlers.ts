import type { HandlerGroup } from '../../api/handler-types.js';
import { requireSession, type CoreContext, type ProjectSession } from '../../core-context.js';
import type { EventBus } from '../../events.js';
import { evaluateRun } from './evaluation/anomaly-eval.js';
import { anomalyScores } from './store/anomaly-scores-dto.js';
import { anomalyVideos } from './store/anomaly-video-list.js';
import { exportScoresCsv } from './export/score-csv-export.js';
import { AnomalyMarkService } from './marks/anomaly-mark-service.js';
import { exportMarks } from './marks/mark-export.js';
import { importMarks } from './marks/mark-import.js';
import type { TimingSource } from './marks/mark-video.js';

export type AnomalyDataMethods =
  | 'anomaly:scores'
  | 'anomaly:videos'
  | 'anomaly:marks:list'
  | 'anomaly:marks:add'
  | 'anomaly:marks:update'
  | 'anomaly:marks:delete'
  | 'anomaly:marks:import'
  | 'anomaly:marks:export'
  | 'anomaly:eval'
  | 'anomaly:export';

/** The frame timing labelling uses (probed frame times for variable-frame-rate videos, once prepared). */
export function sessionTiming(session: ProjectSession): TimingSource {
  return (row) => session.labels.clips.timingOf(row);
}

/** The session's mark service: marks journalled with the labels, so history:undo takes them back too. */
export function markServiceFor(session: ProjectSession, events: EventBus): AnomalyMarkService {
  return new AnomalyMarkService(session.project.db, session.labels.journal, session.author, events, sessionTiming(session));
}

export function anomalyDataHandlers(ctx: CoreContext): HandlerGroup<AnomalyDataMethods> {
  const marks = (session: ProjectSession) => markServiceFor(session, ctx.events);
  /** Probes the frame times of these (or all) variable-frame-rate videos, so frames and seconds agree with the player. */
  const prepared = async (videoIds?: number[]): Promise<ProjectSession> => {
    const session = requireSession(ctx);
    const known = videoIds?.filter((id) => session.videos.get(id) !== null);
    await session.labels.clips.prepareTiming(known);
    return session;
  };

  return {
    'anomaly:scores': ({ runId, videoId }) => anomalyScores(requireSession(ctx).project.db, runId, videoId),
    'anomaly:videos': ({ runId }) => anomalyVideos(requireSession(ctx).project.db, runId),

    'anomaly:marks:list': ({ videoId, kind }) =>
      marks(requireSession(ctx)).list({
        ...(videoId !== undefined ? { videoId } : {}),
        ...(kind !== undefined ? { kind } : {}),
      }),
    'anomaly:marks:add': async (mark) => marks(await prepared([mark.videoId])).add(mark),
    'anomaly:marks:update': async ({ id, ...changes }) => {
      const session = requireSession(ctx);
      const videoId = marks(session).get(id).videoId;
      return marks(await prepared([videoId])).update(id, changes);
    },
    'anomaly:marks:delete': ({ id }) => {
      marks(requireSession(ctx)).delete(id);
      return null;
    },
    'anomaly:marks:import': async ({ file, videoId }) => {
      const session = await prepared(videoId !== undefined ? [videoId] : undefined);
      return importMarks(marks(session), session.videos.list(), sessionTiming(session), {
        file,
        ...(videoId !== undefined ? { videoId } : {}),
      });
    },
    'anomaly:marks:export': async ({ file, format }) => {
      const session = await prepared();
      const service = marks(session);
      return exportMarks(service.marks, session.videos, sessionTiming(session), file, format);
    },

    'anomaly:eval': async ({ runId, truthFile }) => {
      const session = await prepared();
      return evaluateRun(session.project.db, runId, sessionTiming(session), truthFile);
    },
    'anomaly:export': async ({ runId, file }) => {
      const session = await prepared();
      return exportScoresCsv(session.project.db, runId, file, sessionTiming(session));
    },
  };
}
