import type { Database } from 'better-sqlite3';
import type { ClipDto, ClipPage, LabelSource, LabelStats, VideoTimingDto } from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';
import { timeOfFrame, type VideoTiming } from '../../shared/frame-time.js';
import { nowIso } from '../clock.js';
import type { VideoRepository, VideoRow } from '../media/video-repository.js';
import type { ChangeJournal } from './change-journal.js';
import { ensureSegmented } from './segmentation.js';
import type { VideoTimings } from './frame-times.js';

interface ClipRow {
  id: number;
  video_id: number;
  start_frame: number;
  end_frame: number;
  start_sec: number;
  end_sec: number;
  origin: 'auto' | 'user';
  class_id: number | null;
  label_source: LabelSource | null;
}

// Single-label today: the label with the lowest id is the clip's class.
const SELECT_CLIPS = `
  SELECT c.id, c.video_id, c.start_frame, c.end_frame, c.start_sec, c.end_sec, c.origin,
         l.class_id, l.source AS label_source
  FROM clips c
  LEFT JOIN labels l ON l.id = (SELECT MIN(id) FROM labels WHERE clip_id = c.id)`;

function toDto(row: ClipRow): ClipDto {
  return {
    id: row.id,
    videoId: row.video_id,
    startFrame: row.start_frame,
    endFrame: row.end_frame,
    startSec: row.start_sec,
    endSec: row.end_sec,
    origin: row.origin,
    classId: row.class_id,
    labelSource: row.label_source,
  };
}

export interface ClipQuery {
  videoId?: number;
  filter: 'all' | 'unlabelled' | 'labelled';
  classId?: number;
  offset: number;
  limit: number;
}

/** Clips (automatic windows and user segments) and their labels; every edit journalled. */
export class ClipService {
  constructor(
    private readonly db: Database,
    private readonly videos: VideoRepository,
    private readonly journal: ChangeJournal,
    private readonly author: string,
    private readonly timings: VideoTimings,
  ) {}

  /** Cuts automatic clips for these videos (all when omitted) if not cut with the current settings. */
  ensureSegmented(videoIds?: readonly number[]): number[] {
    return ensureSegmented(this.db, videoIds, (row) => this.timings.timing(row));
  }

  /** Probes what exact timing needs (frame timestamps of variable-frame-rate videos). */
  async prepareTiming(videoIds?: readonly number[]): Promise<void> {
    // Runs before every stats or query call: read only the few rows that can need probing,
    // never the whole video table.
    const rows = videoIds ? videoIds.map((id) => this.requireVideo(id)) : this.videos.variableFrameRate();
    await this.timings.prepare(rows);
  }

  list(videoId: number): ClipDto[] {
    this.requireVideo(videoId);
    this.ensureSegmented([videoId]);
    const rows = this.db
      .prepare(`${SELECT_CLIPS} WHERE c.video_id = ? ORDER BY c.start_frame, c.end_frame, c.id`)
      .all(videoId) as ClipRow[];
    return rows.map(toDto);
  }

  /** Exact timing of a video (after `prepareTiming` for variable-frame-rate ones). */
  timingOf(row: VideoRow): VideoTiming {
    return this.timings.timing(row);
  }

  timing(videoId: number): VideoTimingDto {
    const timing = this.timings.timing(this.requireVideo(videoId));
    return {
      videoId,
      fps: timing.fps,
      frameCount: timing.frameCount,
      startTime: timing.startTime,
      frameTimes: timing.frameTimes ? Array.from(timing.frameTimes) : null,
    };
  }

  get(id: number): ClipDto {
    const row = this.db.prepare(`${SELECT_CLIPS} WHERE c.id = ?`).get(id) as ClipRow | undefined;
    if (!row) throw new ApiError('NOT_FOUND', `There is no clip ${id}.`);
    return toDto(row);
  }

  query(q: ClipQuery): ClipPage {
    this.ensureSegmented();
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.videoId !== undefined) {
      where.push('c.video_id = ?');
      args.push(q.videoId);
    }
    if (q.filter === 'unlabelled') where.push('l.class_id IS NULL');
    if (q.filter === 'labelled') where.push('l.class_id IS NOT NULL');
    if (q.classId !== undefined) {
      where.push('l.class_id = ?');
      args.push(q.classId);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const { total } = this.db.prepare(`SELECT COUNT(*) AS total FROM (${SELECT_CLIPS} ${clause})`).get(...args) as {
      total: number;
    };
    const rows = this.db
      .prepare(`${SELECT_CLIPS} ${clause} ORDER BY c.video_id, c.start_frame, c.id LIMIT ? OFFSET ?`)
      .all(...args, q.limit, q.offset) as ClipRow[];
    return { total, items: rows.map(toDto) };
  }

  create(videoId: number, startFrame: number, endFrame: number, origin: 'user' | 'auto' = 'user'): ClipDto {
    const values = this.interval(videoId, startFrame, endFrame);
    const id = this.journal.record('clip:create', `Draw a segment (frames ${startFrame}–${endFrame - 1})`, (rec) =>
      rec.insert('clips', { video_id: videoId, ...values, origin, created_at: nowIso() }),
    );
    return this.get(id);
  }

  update(id: number, startFrame: number, endFrame: number): ClipDto {
    const clip = this.get(id);
    const values = this.interval(clip.videoId, startFrame, endFrame);
    this.journal.record('clip:update', `Move segment edges to frames ${startFrame}–${endFrame - 1}`, (rec) =>
      rec.update('clips', id, { ...values, origin: 'user' }),
    );
    return this.get(id);
  }

  /** Splits at `frame`: the first part keeps [start, frame), the second [frame, end); both keep the label. */
  split(id: number, frame: number): ClipDto[] {
    const clip = this.get(id);
    if (frame <= clip.startFrame || frame >= clip.endFrame) {
      throw new ApiError(
        'INVALID_PARAMS',
        `Split at a frame inside the clip (${clip.startFrame + 1}–${clip.endFrame - 1}), not at ${frame}.`,
      );
    }
    const newId = this.journal.record('clip:split', `Split a clip at frame ${frame}`, (rec) => {
      rec.update('clips', id, { ...this.interval(clip.videoId, clip.startFrame, frame), origin: 'user' });
      const second = rec.insert('clips', {
        video_id: clip.videoId,
        ...this.interval(clip.videoId, frame, clip.endFrame),
        origin: 'user',
        created_at: nowIso(),
      });
      const labels = this.db.prepare('SELECT class_id, source FROM labels WHERE clip_id = ?').all(id) as {
        class_id: number;
        source: LabelSource;
      }[];
      for (const label of labels) {
        rec.insert('labels', {
          clip_id: second,
          class_id: label.class_id,
          source: label.source,
          author: this.author,
          created_at: nowIso(),
        });
      }
      return second;
    });
    return [this.get(id), this.get(newId)];
  }

  /** Joins two neighbouring clips of one video into the first; the first's label wins. */
  merge(firstId: number, secondId: number): ClipDto {
    const [a, b] = [this.get(firstId), this.get(secondId)].sort((x, y) => x.startFrame - y.startFrame) as [
      ClipDto,
      ClipDto,
    ];
    if (a.videoId !== b.videoId) throw new ApiError('INVALID_PARAMS', 'Only clips of the same video can be merged.');
    if (b.startFrame > a.endFrame) {
      throw new ApiError('INVALID_PARAMS', `Clips ${a.id} and ${b.id} do not touch: there is a gap between them.`);
    }
    this.journal.record('clip:merge', `Merge clips at frames ${a.startFrame}–${b.endFrame - 1}`, (rec) => {
      const end = Math.max(a.endFrame, b.endFrame);
      rec.update('clips', a.id, { ...this.interval(a.videoId, a.startFrame, end), origin: 'user' });
      if (a.classId === null && b.classId !== null) {
        const label = this.db.prepare('SELECT * FROM labels WHERE clip_id = ? ORDER BY id LIMIT 1').get(b.id) as {
          class_id: number;
          source: LabelSource;
        };
        rec.insert('labels', {
          clip_id: a.id,
          class_id: label.class_id,
          source: label.source,
          author: this.author,
          created_at: nowIso(),
        });
      }
      rec.delete('clips', b.id);
    });
    return this.get(a.id);
  }

  delete(id: number): void {
    const clip = this.get(id);
    this.journal.record('clip:delete', `Delete a clip (frames ${clip.startFrame}–${clip.endFrame - 1})`, (rec) =>
      rec.delete('clips', id),
    );
  }

  /** Sets the clip's one class (or clears it with null). */
  setLabel(clipId: number, classId: number | null, source: LabelSource = 'human'): ClipDto {
    const clip = this.get(clipId);
    if (classId !== null) this.requireClass(classId);
    if (clip.classId === classId && (classId === null || clip.labelSource === source)) return clip;
    const description = classId === null ? 'Remove a label' : `Label a clip “${this.className(classId)}”`;
    this.journal.record(classId === null ? 'label:remove' : 'label:set', description, (rec) => {
      const labels = this.db.prepare('SELECT id FROM labels WHERE clip_id = ?').all(clipId) as { id: number }[];
      for (const label of labels) rec.delete('labels', label.id);
      if (classId !== null) {
        rec.insert('labels', { clip_id: clipId, class_id: classId, source, author: this.author, created_at: nowIso() });
      }
    });
    return this.get(clipId);
  }

  /** What a class key does: label the clip, or remove the label if it already has that class. */
  toggleLabel(clipId: number, classId: number): ClipDto {
    const clip = this.get(clipId);
    return this.setLabel(clipId, clip.classId === classId ? null : classId);
  }

  stats(): LabelStats {
    this.ensureSegmented();
    const perVideo = this.db
      .prepare(
        `SELECT c.video_id AS videoId, COUNT(*) AS clips,
                SUM(EXISTS (SELECT 1 FROM labels l WHERE l.clip_id = c.id)) AS labelled
         FROM clips c GROUP BY c.video_id ORDER BY c.video_id`,
      )
      .all() as { videoId: number; clips: number; labelled: number }[];
    const perClass = this.db
      .prepare(
        `SELECT cl.id AS classId, COUNT(l.id) AS clips FROM classes cl
         LEFT JOIN labels l ON l.class_id = cl.id GROUP BY cl.id ORDER BY cl.position, cl.id`,
      )
      .all() as { classId: number; clips: number }[];
    return {
      totalClips: perVideo.reduce((n, v) => n + v.clips, 0),
      labelledClips: perVideo.reduce((n, v) => n + v.labelled, 0),
      perClass,
      perVideo,
    };
  }

  videoIdOf(clipId: number): number {
    return this.get(clipId).videoId;
  }

  /** Checks an interval against the video and gives its columns in frames and seconds. */
  private interval(videoId: number, startFrame: number, endFrame: number) {
    const timing = this.timings.timing(this.requireVideo(videoId));
    if (endFrame <= startFrame) {
      throw new ApiError('INVALID_PARAMS', `A clip must end after it starts (frames ${startFrame}–${endFrame}).`);
    }
    if (endFrame > timing.frameCount) {
      throw new ApiError(
        'INVALID_PARAMS',
        `Frame ${endFrame} is past the end of the video (it has ${timing.frameCount} frames).`,
      );
    }
    return {
      start_frame: startFrame,
      end_frame: endFrame,
      start_sec: timeOfFrame(timing, startFrame),
      end_sec: timeOfFrame(timing, endFrame),
    };
  }

  private requireVideo(videoId: number) {
    const row = this.videos.get(videoId);
    if (!row) throw new ApiError('NOT_FOUND', `There is no video ${videoId} in this project.`);
    return row;
  }

  private requireClass(classId: number): void {
    if (!this.db.prepare('SELECT 1 FROM classes WHERE id = ?').get(classId)) {
      throw new ApiError('NOT_FOUND', `There is no class ${classId}.`);
    }
  }

  private className(classId: number): string {
    return (this.db.prepare('SELECT name FROM classes WHERE id = ?').get(classId) as { name: string }).name;
  }
}
