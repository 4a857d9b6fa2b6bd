import type { Database } from 'better-sqlite3';
import type { AnomalyMarkDto, AnomalyMarkKind } from '../../../../shared/anomaly.js';
import { ApiError } from '../../../../shared/errors.js';
import { nowIso } from '../../../clock.js';
import type { EventBus } from '../../../events.js';
import type { ChangeJournal, Recorder } from '../../../labels/change-journal.js';
import { timingOfVideo } from '../../../labels/video-timing.js';
import { VideoRepository } from '../../../media/video-repository.js';
import { AnomalyMarkRepository, markRowToDto, type AnomalyMarkRow } from './anomaly-mark-repository.js';
import { subtractIntervals, type FrameInterval } from './frame-intervals.js';
import { framesText, markVideo, videoName, type MarkVideo, type TimingSource } from './mark-video.js';

export type MarkSource = AnomalyMarkDto['source'];

export interface NewMark {
  videoId: number;
  startFrame: number;
  endFrame: number;
  kind: AnomalyMarkKind;
}

export interface MarkChanges {
  startFrame?: number;
  endFrame?: number;
  kind?: AnomalyMarkKind;
}

/** Footage marked normal with anomaly-marked frames cut out: what a run learns from (anomaly_runs.normal_json). */
export interface NormalFootage {
  videoId: number;
  path: string;
  startFrame: number;
  endFrame: number;
}

const KIND_WORD: Record<AnomalyMarkKind, string> = { anomaly: 'anomalous', normal: 'normal' };

/**
 * Anomaly and normal marks of videos, every change one journal entry (history:undo takes it
 * back). Marks of one kind on a video never overlap: a mark that overlaps or touches another of
 * its kind is merged with it into one interval. Marks of different kinds may overlap; the truth
 * counts such frames anomalous and training leaves them out.
 */
export class AnomalyMarkService {
  readonly marks: AnomalyMarkRepository;
  private readonly videos: VideoRepository;

  constructor(
    db: Database,
    private readonly journal: ChangeJournal,
    private readonly author: string,
    private readonly events: EventBus,
    private readonly timing: TimingSource = timingOfVideo,
  ) {
    this.marks = new AnomalyMarkRepository(db);
    this.videos = new VideoRepository(db);
  }

  list(filter: { videoId?: number; kind?: AnomalyMarkKind } = {}): AnomalyMarkDto[] {
    if (filter.videoId !== undefined && !this.videos.get(filter.videoId)) {
      throw new ApiError('NOT_FOUND', `There is no video ${filter.videoId}.`);
    }
    return this.marks.list(filter).map(markRowToDto);
  }

  get(id: number): AnomalyMarkDto {
    return markRowToDto(this.requireMark(id));
  }

  /** Marks frames of a video; returns the mark that holds them (merged with its neighbours of the kind). */
  add(mark: NewMark, source: MarkSource = 'human'): AnomalyMarkDto {
    const video = this.checkedVideo(mark.videoId, mark.startFrame, mark.endFrame);
    const description = `Mark ${framesText(mark.startFrame, mark.endFrame)} of ${videoName(video.row)} ${KIND_WORD[mark.kind]}`;
    const id = this.journal.record('anomaly:marks:add', description, (rec) =>
      this.place(rec, { ...mark }, source),
    );
    this.changed([mark.videoId]);
    return this.get(id);
  }

  update(id: number, changes: MarkChanges): AnomalyMarkDto {
    const current = this.requireMark(id);
    const next: NewMark = {
      videoId: current.video_id,
      startFrame: changes.startFrame ?? current.start_frame,
      endFrame: changes.endFrame ?? current.end_frame,
      kind: changes.kind ?? current.kind,
    };
    const video = this.checkedVideo(next.videoId, next.startFrame, next.endFrame);
    const description =
      `Change the ${KIND_WORD[current.kind]} mark on ${framesText(current.start_frame, current.end_frame)} ` +
      `of ${videoName(video.row)}` +
      (next.kind !== current.kind ? ` to ${KIND_WORD[next.kind]}` : '') +
      (next.startFrame !== current.start_frame || next.endFrame !== current.end_frame
        ? ` (${framesText(next.startFrame, next.endFrame)})`
        : '');
    const kept = this.journal.record('anomaly:marks:update', description, (rec) =>
      this.place(rec, next, current.source, id),
    );
    this.changed([next.videoId]);
    return this.get(kept);
  }

  delete(id: number): void {
    const current = this.requireMark(id);
    const row = this.videos.get(current.video_id);
    const description =
      `Remove the ${KIND_WORD[current.kind]} mark on ${framesText(current.start_frame, current.end_frame)}` +
      (row ? ` of ${videoName(row)}` : '');
    this.journal.record('anomaly:marks:delete', description, (rec) => rec.delete('anomaly_marks', id));
    this.changed([current.video_id]);
  }

  /** Marks each video whole ([0, frameCount)) as one kind, in one journal entry. */
  markWholeVideos(videoIds: readonly number[], kind: AnomalyMarkKind, source: MarkSource = 'human'): AnomalyMarkDto[] {
    const ids = [...new Set(videoIds)];
    if (ids.length === 0) throw new ApiError('INVALID_PARAMS', 'Choose at least one video to mark.');
    const videos = ids.map((id) => markVideo(this.videos, id, this.timing));
    const description =
      videos.length === 1
        ? `Mark all of ${videoName(videos[0]!.row)} ${KIND_WORD[kind]}`
        : `Mark ${videos.length} whole videos ${KIND_WORD[kind]}`;
    const kept = this.journal.record('anomaly:marks:whole', description, (rec) =>
      videos.map((v) => this.place(rec, { videoId: v.row.id, startFrame: 0, endFrame: v.timing.frameCount, kind }, source)),
    );
    this.changed(ids);
    return kept.map((id) => this.get(id));
  }

  /**
   * Adds many marks as one journal entry (an import); each is checked against its video first,
   * so a bad one changes nothing. Returns the ids of the marks that hold them.
   */
  addMany(marks: readonly NewMark[], source: MarkSource, description: string): number[] {
    for (const mark of marks) this.checkedVideo(mark.videoId, mark.startFrame, mark.endFrame);
    if (marks.length === 0) return [];
    const ids = this.journal.record('anomaly:marks:import', description, (rec) =>
      marks.map((mark) => this.place(rec, mark, source)),
    );
    this.changed([...new Set(marks.map((m) => m.videoId))]);
    return [...new Set(ids)];
  }

  /** A video and its timing, or NOT_FOUND / CONFLICT. */
  video(videoId: number): MarkVideo {
    return markVideo(this.videos, videoId, this.timing);
  }

  /** Every normal mark with the frames of anomaly marks cut out, in video and frame order. */
  normalFootage(): NormalFootage[] {
    const byVideo = new Map<number, { normal: FrameInterval[]; anomaly: FrameInterval[] }>();
    for (const row of this.marks.list()) {
      const entry = byVideo.get(row.video_id) ?? { normal: [], anomaly: [] };
      entry[row.kind].push({ start: row.start_frame, end: row.end_frame });
      byVideo.set(row.video_id, entry);
    }
    const footage: NormalFootage[] = [];
    for (const [videoId, { normal, anomaly }] of byVideo) {
      if (normal.length === 0) continue;
      const path = this.videos.get(videoId)?.path ?? '';
      for (const piece of subtractIntervals(normal, anomaly)) {
        footage.push({ videoId, path, startFrame: piece.start, endFrame: piece.end });
      }
    }
    return footage;
  }

  /**
   * Writes a mark, merged with the marks of its kind it overlaps or touches. `keepId` is the mark
   * being edited (it takes the merged interval); a new mark already inside one of its kind changes
   * nothing (importing the same truth twice is a no-op).
   */
  private place(rec: Recorder, mark: NewMark, source: MarkSource, keepId?: number): number {
    const joined = this.marks
      .joining(mark.videoId, mark.kind, mark.startFrame, mark.endFrame)
      .filter((row) => row.id !== keepId);
    if (keepId === undefined) {
      const container = joined.find((row) => row.start_frame <= mark.startFrame && row.end_frame >= mark.endFrame);
      if (container) return container.id;
    }
    const start = Math.min(mark.startFrame, ...joined.map((row) => row.start_frame));
    const end = Math.max(mark.endFrame, ...joined.map((row) => row.end_frame));
    for (const row of joined) rec.delete('anomaly_marks', row.id);
    const values = { start_frame: start, end_frame: end, kind: mark.kind };
    if (keepId !== undefined) {
      rec.update('anomaly_marks', keepId, values);
      return keepId;
    }
    return rec.insert('anomaly_marks', {
      video_id: mark.videoId,
      ...values,
      source,
      author: this.author,
      created_at: nowIso(),
    });
  }

  private checkedVideo(videoId: number, start: number, end: number): MarkVideo {
    const video = markVideo(this.videos, videoId, this.timing);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0) {
      throw new ApiError('INVALID_PARAMS', `A mark's frames are whole numbers from 0; got ${start} to ${end}.`);
    }
    if (end <= start) {
      throw new ApiError('INVALID_PARAMS', `A mark ends after it starts: it starts at frame ${start} and ends at ${end}.`);
    }
    const { frameCount } = video.timing;
    if (end > frameCount) {
      throw new ApiError(
        'INVALID_PARAMS',
        `The mark runs to frame ${end - 1}, past the end of ${videoName(video.row)}, which has ${frameCount} frames (0–${frameCount - 1}).`,
      );
    }
    return video;
  }

  private requireMark(id: number): AnomalyMarkRow {
    const row = this.marks.get(id);
    if (!row) throw new ApiError('NOT_FOUND', `There is no anomaly mark ${id}.`);
    return row;
  }

  private changed(videoIds: number[]): void {
    this.events.emit('anomaly:marks:changed', { videoIds });
  }
}
