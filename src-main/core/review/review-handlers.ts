import { ApiError } from '../../shared/errors.js';
import type { HandlerGroup } from '../api/handler-types.js';
import { requireSession, type CoreContext, type ProjectSession } from '../core-context.js';
import { listRounds } from '../classify/main/rounds.js';
import { bulkAccept, previewBulkAccept } from './bulk-accept.js';
import { retrain } from './retrain.js';
import { applyReview, type ReviewApplyDeps } from './review-apply.js';
import { reviewQuality } from './review-quality.js';
import { queuePage, reviewItem } from './review-queue.js';
import { ReviewSessionStore } from './review-session.js';
import { ReviewStore } from './review-store.js';

type ReviewMethods =
  | 'review:session:get'
  | 'review:session:set'
  | 'review:queue'
  | 'review:apply'
  | 'review:bulk-preview'
  | 'review:bulk-accept'
  | 'review:quality'
  | 'review:retrain'
  | 'runs:rounds';

function applyDeps(session: ProjectSession): ReviewApplyDeps {
  return { store: new ReviewStore(session.project.db), journal: session.labels.journal, author: session.author };
}

function sessions(session: ProjectSession): ReviewSessionStore {
  return new ReviewSessionStore(session.project.db, session.training.runs);
}

export function reviewHandlers(ctx: CoreContext): HandlerGroup<ReviewMethods> {
  const run = (session: ProjectSession, runId: number) => session.training.get(runId);
  const labelsChanged = (videoIds: number[]) => {
    if (videoIds.length > 0) ctx.events.emit('labels:changed', { videoIds });
  };

  return {
    'review:session:get': () => sessions(requireSession(ctx)).get(),
    'review:session:set': (changes) => sessions(requireSession(ctx)).set(changes),

    'review:queue': ({ runId, strategy, filter, seed, offset, limit, focusClipId }) => {
      const session = requireSession(ctx);
      return queuePage(new ReviewStore(session.project.db), run(session, runId), {
        strategy,
        filter,
        seed,
        offset,
        limit,
        ...(focusClipId !== undefined ? { focusClipId } : {}),
      });
    },

    'review:apply': (request) => {
      const session = requireSession(ctx);
      const target = run(session, request.runId);
      const deps = applyDeps(session);
      applyReview(deps, request);
      const { strategy, seed } = sessions(session).get();
      const item = reviewItem(deps.store, target, request.clipId, strategy, seed);
      if (!item) throw new ApiError('NOT_FOUND', `Run ${request.runId} has no prediction for clip ${request.clipId}.`);
      if (request.action !== 'skip') labelsChanged([item.videoId]);
      return item;
    },

    'review:bulk-preview': ({ runId, minConfidence, filter }) => {
      const session = requireSession(ctx);
      return previewBulkAccept(applyDeps(session), run(session, runId), { minConfidence, ...(filter ? { filter } : {}) });
    },
    'review:bulk-accept': ({ runId, minConfidence, filter }) => {
      const session = requireSession(ctx);
      const { report, videoIds } = bulkAccept(applyDeps(session), run(session, runId), {
        minConfidence,
        ...(filter ? { filter } : {}),
      });
      labelsChanged(videoIds);
      return report;
    },

    'review:quality': ({ runId }) => {
      const session = requireSession(ctx);
      const target = run(session, runId);
      const decisions = new ReviewStore(session.project.db).decisionsForQuality(runId);
      return reviewQuality(runId, target.classes, decisions);
    },
    'review:retrain': ({ runId, ...options }) => retrain(requireSession(ctx).training, runId, options),
    'runs:rounds': () => listRounds(requireSession(ctx).training.runs),
  };
}
