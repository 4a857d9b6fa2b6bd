import type { AnomalyMarkExportFormat } from '../../../../shared/anomaly.js';
import { timeOfFrame } from '../../../../shared/frame-time.js';
import { csvLine, formatSeconds } from '../../../labels/formats/csv-text.js';
import { writeTextFiles } from '../../../labels/formats/label-file-io.js';
import type { AnomalyMarkRepository, AnomalyMarkRow } from './anomaly-mark-repository.js';
import { markVideo, type MarkVideo, type TimingSource } from './mark-video.js';
import type { VideoRepository } from '../../../media/video-repository.js';

/** One mark as the json export writes it: frames [startFrame, endFrame) and the same span in seconds. */
interface ExportedMark {
  path: string;
  kind: AnomalyMarkRow['kind'];
  source: AnomalyMarkRow['source'];
  startFrame: number;
  endFrame: number;
  start: number;
  end: number;
  author: string;
  createdAt: string;
}

/**
 * Writes the anomaly marks. csv `path,start,end`: the anomalous intervals only, in seconds from
 * each video's first frame (the start of the mark's first frame to the start of the frame after
 * its last), which is exactly what the import reads back onto the same frames. json
 * `{marks: [...]}`: every mark of both kinds, with its frames, seconds, source and author.
 */
export function exportMarks(
  marks: AnomalyMarkRepository,
  videos: VideoRepository,
  timing: TimingSource,
  file: string,
  format: AnomalyMarkExportFormat = 'csv',
): { file: string; rows: number } {
  const known = new Map<number, MarkVideo>();
  const exported = marks.list(format === 'csv' ? { kind: 'anomaly' } : {}).map((mark): ExportedMark => {
    const video = known.get(mark.video_id) ?? markVideo(videos, mark.video_id, timing);
    known.set(mark.video_id, video);
    return {
      path: video.row.path,
      kind: mark.kind,
      source: mark.source,
      startFrame: mark.start_frame,
      endFrame: mark.end_frame,
      start: Number(formatSeconds(timeOfFrame(video.timing, mark.start_frame))),
      end: Number(formatSeconds(timeOfFrame(video.timing, mark.end_frame))),
      author: mark.author,
      createdAt: mark.created_at,
    };
  });
  const text =
    format === 'json'
      ? `${JSON.stringify({ marks: exported }, null, 2)}\n`
      : `${[csvLine(['path', 'start', 'end']), ...exported.map((m) => csvLine([m.path, String(m.start), String(m.end)]))].join('\n')}\n`;
  writeTextFiles([{ path: file, text }]);
  return { file, rows: exported.length };
}
