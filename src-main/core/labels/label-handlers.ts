import type { HandlerGroup } from '../api/handler-types.js';
import { requireSession, type CoreContext, type ProjectSession } from '../core-context.js';
import type { HistoryEntry } from './change-journal.js';
import { readSegmentation, writeSegmentation } from './segmentation.js';

type LabelMethods =
  | 'classes:list'
  | 'classes:create'
  | 'classes:update'
  | 'classes:reorder'
  | 'classes:archive'
  | 'classes:merge'
  | 'classes:delete'
  | 'segmentation:get'
  | 'segmentation:set'
  | 'clips:list'
  | 'clips:timing'
  | 'clips:query'
  | 'clips:create'
  | 'clips:update'
  | 'clips:split'
  | 'clips:merge'
  | 'clips:delete'
  | 'labels:set'
  | 'labels:toggle'
  | 'labels:stats'
  | 'history:undo'
  | 'history:redo'
  | 'history:list';

export function labelHandlers(ctx: CoreContext): HandlerGroup<LabelMethods> {
  const labels = () => requireSession(ctx).labels;
  const changedVideo = (videoId: number | null) =>
    ctx.events.emit('labels:changed', { videoIds: videoId === null ? null : [videoId] });
  const classesChanged = () => {
    ctx.events.emit('classes:changed', {});
    // Class edits change what clips show (names, colours) and merges/deletes change labels.
    changedVideo(null);
  };
  const historyState = (session: ProjectSession, entry: HistoryEntry | null) => {
    const counts = session.labels.journal.counts();
    if (entry) {
      classesChanged();
      // The entry may have been an anomaly mark: the Anomaly view refetches its marks.
      ctx.events.emit('anomaly:marks:changed', { videoIds: null });
      if (entry.action === 'videos:remove') ctx.events.emit('videos:changed', { ids: null });
    }
    return { entry, canUndo: counts.undo, canRedo: counts.redo };
  };

  return {
    'classes:list': ({ includeArchived }) => labels().classes.list(includeArchived),
    'classes:create': ({ name, color, hotkey }) => {
      const created = labels().classes.create(name, color, hotkey);
      ctx.events.emit('classes:changed', {});
      return created;
    },
    'classes:update': ({ id, ...changes }) => {
      const updated = labels().classes.update(id, changes);
      classesChanged();
      return updated;
    },
    'classes:reorder': ({ ids }) => {
      const list = labels().classes.reorder(ids);
      ctx.events.emit('classes:changed', {});
      return list;
    },
    'classes:archive': ({ id, archived }) => {
      const updated = labels().classes.archive(id, archived);
      ctx.events.emit('classes:changed', {});
      return updated;
    },
    'classes:merge': ({ sourceId, targetId }) => {
      const merged = labels().classes.merge(sourceId, targetId);
      classesChanged();
      return merged;
    },
    'classes:delete': ({ id, confirmLabels }) => {
      const removedLabels = labels().classes.delete(id, confirmLabels);
      classesChanged();
      return { removedLabels };
    },

    'segmentation:get': () => readSegmentation(requireSession(ctx).project.db),
    'segmentation:set': async (spec) => {
      const session = requireSession(ctx);
      const db = session.project.db;
      writeSegmentation(db, spec);
      // Re-cutting replaces unlabelled automatic clips that history entries may point at.
      session.labels.journal.clear();
      await session.labels.clips.prepareTiming();
      session.labels.clips.ensureSegmented();
      changedVideo(null);
      return readSegmentation(db);
    },

    'clips:list': async ({ videoId }) => {
      await labels().clips.prepareTiming([videoId]);
      return labels().clips.list(videoId);
    },
    'clips:timing': async ({ videoId }) => {
      await labels().clips.prepareTiming([videoId]);
      return labels().clips.timing(videoId);
    },
    'clips:query': async (query) => {
      await labels().clips.prepareTiming();
      return labels().clips.query(query);
    },
    'clips:create': async ({ videoId, startFrame, endFrame }) => {
      await labels().clips.prepareTiming([videoId]);
      const clip = labels().clips.create(videoId, startFrame, endFrame);
      changedVideo(videoId);
      return clip;
    },
    'clips:update': ({ id, startFrame, endFrame }) => {
      const clip = labels().clips.update(id, startFrame, endFrame);
      changedVideo(clip.videoId);
      return clip;
    },
    'clips:split': ({ id, frame }) => {
      const parts = labels().clips.split(id, frame);
      changedVideo(parts[0]?.videoId ?? null);
      return parts;
    },
    'clips:merge': ({ ids }) => {
      const clip = labels().clips.merge(ids[0], ids[1]);
      changedVideo(clip.videoId);
      return clip;
    },
    'clips:delete': ({ id }) => {
      const videoId = labels().clips.videoIdOf(id);
      labels().clips.delete(id);
      changedVideo(videoId);
      return null;
    },

    'labels:set': ({ clipId, classId }) => {
      const clip = labels().clips.setLabel(clipId, classId);
      changedVideo(clip.videoId);
      return clip;
    },
    'labels:toggle': ({ clipId, classId }) => {
      const clip = labels().clips.toggleLabel(clipId, classId);
      changedVideo(clip.videoId);
      return clip;
    },
    'labels:stats': async () => {
      await labels().clips.prepareTiming();
      return labels().clips.stats();
    },

    'history:undo': () => {
      const session = requireSession(ctx);
      return historyState(session, session.labels.journal.undo());
    },
    'history:redo': () => {
      const session = requireSession(ctx);
      return historyState(session, session.labels.journal.redo());
    },
    'history:list': ({ limit }) => labels().journal.list(limit),
  };
}
