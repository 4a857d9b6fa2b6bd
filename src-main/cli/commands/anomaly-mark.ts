import type { Core } from '../../core/core.js';
import { anomalyMarkKinds, type AnomalyMarkDto, type AnomalyMarkKind } from '../../shared/anomaly.js';
import { nearestBoundary } from '../../shared/frame-time.js';
import { openProject, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';
import { footageFor } from './anomaly-footage.js';
import { secondsOfFrame, timingFor } from './anomaly-timing.js';
import { numberFlag } from './anomaly-train-options.js';

export const MARK_HELP = `Usage: vssl anomaly mark DIR PATH --kind anomaly|normal [--from SEC] [--to SEC] [--json]

Marks part of the video file PATH (imported into the project in DIR when it is not there) as
anomalous or normal: normal marks are what "vssl anomaly train" learns from, and marks of
either kind are ground truth for "vssl anomaly eval". --from and --to are seconds from the
video's first frame (default: the whole video), each moved to the nearest frame boundary.
The app's Undo takes the mark back.
  --json   {id, videoId, path, startFrame, endFrame, start, end, kind, source}`;

interface MarkReport extends AnomalyMarkDto {
  path: string;
  start: number;
  end: number;
}

function kindOf(value: unknown): AnomalyMarkKind {
  const kind = anomalyMarkKinds.find((k) => k === value);
  if (!kind) {
    throw new UsageError(
      value === undefined
        ? 'anomaly mark: --kind is required (anomaly or normal).'
        : `anomaly mark: --kind is anomaly or normal, not ${JSON.stringify(value)}.`,
    );
  }
  return kind;
}

function secondsFlag(flag: string, raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = numberFlag('anomaly mark', flag, raw);
  if (seconds < 0) throw new UsageError(`anomaly mark: --${flag} must be 0 or more seconds, not ${JSON.stringify(raw)}.`);
  return seconds;
}

async function mark(core: Core, dir: string, file: string, kind: AnomalyMarkKind, from?: number, to?: number): Promise<MarkReport> {
  await openProject(core, dir);
  const video = (await footageFor(core, [file])).videos[0];
  if (!video) throw new Error(`${file}: not in the project.`);
  const timing = await timingFor(core, video.id);
  const startFrame = from === undefined ? 0 : nearestBoundary(timing, from);
  const endFrame = to === undefined ? timing.frameCount : nearestBoundary(timing, to);
  if (endFrame <= startFrame) {
    throw new UsageError(
      `anomaly mark: the interval ${from ?? 0}-${to ?? 'end'} s holds no frame of ${video.path} ` +
        `(it has ${timing.frameCount} frames); --to must be after --from.`,
    );
  }
  const added = await core.call('anomaly:marks:add', { videoId: video.id, startFrame, endFrame, kind });
  return {
    ...added,
    path: video.path,
    start: secondsOfFrame(timing, added.startFrame),
    end: secondsOfFrame(timing, added.endFrame),
  };
}

export async function runAnomalyMark(args: string[]): Promise<number> {
  const command = 'anomaly mark';
  const { values, positionals } = parseCommandArgs(command, args, {
    kind: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  });
  if (values.help) {
    printLine(MARK_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 2, 2, 'the project folder DIR and the video PATH');
  const kind = kindOf(values.kind);
  const from = secondsFlag('from', values.from);
  const to = secondsFlag('to', values.to);
  const [dir, file] = positionals as [string, string];
  const report = await withCore('cli', (core) => mark(core, dir, file, kind, from, to));
  if (values.json) printJson(report);
  else {
    printLine(
      `Marked frames ${report.startFrame}-${report.endFrame - 1} (${report.start.toFixed(2)}-${report.end.toFixed(2)} s) ` +
        `of ${report.path} ${report.kind}.`,
    );
  }
  return 0;
}
