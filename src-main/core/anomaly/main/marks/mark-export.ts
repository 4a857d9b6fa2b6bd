import { timeOfFrame } from '../../../../shared/frame-time.js';
import { csvLine, formatSeconds } from '../../../labels/formats/csv-text.js';
import { writeTextFiles } from '../../../labels/formats/label-file-io.js';
import type { AnomalyMarkRepository } from './anomaly-mark-repository.js';
import { markVideo, type MarkVideo, type TimingSource } from './mark-video.js';
import type { VideoRepository } from '../../../media/video-repository.js';

/**
 * Writes the anomaly marks as csv `path,start,end`: seconds from each video's first frame, the
 * start of the mark's first frame to the start of the frame after its last, which is exactly what
 * the import reads back onto the same frames.
 */
export function exportMarks(
  marks: AnomalyMarkRepository,
  videos: VideoRepository,
  timing: TimingSource,
  file: string,
): { file: string; rows: number } {
  const lines = [csvLine(['path', 'start', 'end'])];
  const known = new Map<number, MarkVideo>();
  for (const mark of marks.list({ kind: 'anomaly' })) {
    const video = known.get(mark.video_id) ?? markVideo(videos, mark.video_id, timing);
    known.set(mark.video_id, video);
    lines.push(
      csvLine([
        video.row.path,
        formatSeconds(timeOfFrame(video.timing, mark.start_frame)),
        formatSeconds(timeOfFrame(video.timing, mark.end_frame)),
      ]),
    );
  }
  writeTextFiles([{ path: file, text: `${lines.join('\n')}\n` }]);
  return { file, rows: lines.length - 1 };
}
