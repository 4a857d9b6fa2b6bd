/**
 * Kinetics annotation CSV: `label,youtube_id,time_start,time_end,split`, times in seconds of the
 * original YouTube video. A video matches a row when its file stem is the youtube_id, or when it
 * is a clip cut from that video and named the Kinetics way, `<youtube_id>_<start:06d>_<end:06d>`:
 * then the row's times are shifted by the clip's start, and a row meant for the whole clip ends
 * where the file ends (downloaded clips are often a few frames short of `time_end`).
 */
import type { VideoRow } from '../../media/video-repository.js';
import { csvLine, formatSeconds, parseInterval } from './csv-text.js';
import { ignoredColumnsNote, readCsvTable } from './csv-table.js';
import { linePlace, type LabelFormatModule, type LabelRow, type ParsedLabels, type RowProblem } from './format-types.js';
import { stemOf, type VideoIndex } from './video-index.js';

const HEADER = ['label', 'youtube_id', 'time_start', 'time_end', 'split'] as const;
const REQUIRED = ['youtube_id', 'time_start', 'time_end'] as const;
/** Kinetics file names carry whole seconds; allow for rounding when choosing among clips of one id. */
const NAME_SLACK_SEC = 1;

type KineticsMatch = { video: VideoRow; offset: number; trimmed: boolean } | { reason: string };

function matchVideo(videos: VideoIndex, id: string, start: number, end: number): KineticsMatch {
  const exact = videos.byStem(id);
  if (exact.length > 0 || videos.trimmed(id).length === 0) {
    const match = videos.matchStem(id, `“${id}”`);
    return 'reason' in match ? match : { video: match.video, offset: 0, trimmed: false };
  }
  const clips = videos.trimmed(id);
  const fitting = clips.filter((c) => start >= c.startSec - NAME_SLACK_SEC && end <= c.endSec + NAME_SLACK_SEC);
  const chosen = fitting.length === 1 ? fitting[0] : clips.length === 1 ? clips[0] : undefined;
  if (!chosen) {
    return {
      reason:
        `ambiguous video “${id}”: ${fitting.length || clips.length} clips of it are in the project ` +
        `(${(fitting.length ? fitting : clips).map((c) => stemOf(c.video.path)).join(', ')})`,
    };
  }
  const inside = start >= chosen.startSec - NAME_SLACK_SEC && end <= chosen.endSec + NAME_SLACK_SEC;
  return { video: chosen.video, offset: chosen.startSec, trimmed: inside };
}

/** How a video is named in a Kinetics file: its youtube_id and the offset of its times. */
function kineticsName(video: VideoRow): { id: string; offset: number; trimmed: boolean } {
  const stem = stemOf(video.path);
  const trimmed = /^(.+)_(\d{6})_(\d{6})$/.exec(stem);
  return trimmed ? { id: trimmed[1]!, offset: Number(trimmed[2]), trimmed: true } : { id: stem, offset: 0, trimmed: false };
}

export const kineticsFormat: LabelFormatModule = {
  format: 'kinetics',

  parse(text, ctx): ParsedLabels {
    const table = readCsvTable(text, 'Kinetics CSV', REQUIRED, HEADER);
    const col = table.columns;
    const rows: LabelRow[] = [];
    const skipped: RowProblem[] = [...table.problems];
    let clamped = 0;
    for (const record of table.records) {
      const place = linePlace(record.line);
      const field = (name: string) => {
        const index = col.get(name);
        return index === undefined ? '' : (record.fields[index] ?? '');
      };
      const id = field('youtube_id').trim();
      const interval = parseInterval(field('time_start'), field('time_end'), ['time_start', 'time_end']);
      if (id === '' || 'reason' in interval) {
        skipped.push({ place, reason: `malformed row: ${'reason' in interval ? interval.reason : 'youtube_id is empty'}` });
        continue;
      }
      const match = matchVideo(ctx.videos, id, interval.start, interval.end);
      if ('reason' in match) {
        skipped.push({ place, reason: match.reason });
        continue;
      }
      if (match.trimmed) clamped++;
      const label = field('label').trim();
      rows.push({
        place,
        videoId: match.video.id,
        span: {
          kind: 'seconds',
          start: interval.start - match.offset,
          end: interval.end - match.offset,
          clampToVideo: match.trimmed,
        },
        label: label || null,
      });
    }
    const notes = ignoredColumnsNote(table);
    if (!col.has('label')) notes.push('The file has no label column: its rows make unlabelled segments.');
    if (clamped > 0) {
      notes.push(
        `${clamped} row${clamped === 1 ? '' : 's'} matched clips named <youtube_id>_<start>_<end>: ` +
          'their times were shifted to the clip and kept within it.',
      );
    }
    return { rows, skipped, notes };
  },

  write(data) {
    const lines = [csvLine(HEADER)];
    // Import finds a youtube_id's own file first, and tells clips of one id apart by their start.
    const keys = new Map<string, number>();
    const whole = new Set<string>();
    const clipped = new Set<string>();
    for (const video of data.videos) {
      const { id, offset, trimmed } = kineticsName(video.row);
      const key = trimmed ? `${id}@${offset}` : id;
      keys.set(key, (keys.get(key) ?? 0) + 1);
      (trimmed ? clipped : whole).add(id);
      for (const clip of video.clips) {
        lines.push(
          csvLine([
            clip.className ?? '',
            id,
            formatSeconds(clip.startSec + offset),
            formatSeconds(clip.endSec + offset),
            'train',
          ]),
        );
      }
    }
    const shared = [
      ...new Set([
        ...[...keys].filter(([, n]) => n > 1).map(([key]) => key.split('@')[0]!),
        ...[...whole].filter((id) => clipped.has(id)),
      ]),
    ];
    const notes = shared.length
      ? [
          `Several videos share the youtube_id ${shared.slice(0, 5).join(', ')}${shared.length > 5 ? ', …' : ''}: ` +
            'a Kinetics file cannot tell them apart.',
        ]
      : [];
    return { files: [{ path: data.file, text: `${lines.join('\n')}\n` }], rows: lines.length - 1, notes };
  },
};
