import type { Core } from '../../core/core.js';
import { decodeFrameBoxes, type FrameBox } from '../../shared/anomaly-boxes.js';
import { anomalyScoreOptionsSchema, decodeFloat32, type AnomalySampling, type AnomalyScoreOptionsInput } from '../../shared/anomaly.js';
import { eventFramesOf, type EventSeconds } from '../../shared/anomaly-events.js';
import { ApiError } from '../../shared/errors.js';
import type { VideoDto } from '../../shared/dto.js';
import { openProject, withCore } from '../open-core.js';
import { printJson, printLine } from '../output.js';
import { runJobToEnd } from '../run-to-end.js';
import { expectPositionals, parseCommandArgs, UsageError } from '../usage.js';
import { summariseCurve, type CurveSummary } from './anomaly-curve-summary.js';
import { footageFor } from './anomaly-footage.js';
import { anomalyRunFor, anomalyRunIdOf } from './anomaly-runs.js';
import { numberFlag } from './anomaly-train-options.js';
import { secondsOfFrame, timingFor } from './anomaly-timing.js';

const SCORE_DEFAULTS = anomalyScoreOptionsSchema.parse({});

export const SCORE_HELP = `Usage: vssl anomaly score DIR PATH... [--run ID] [--threshold X] [--events N]
       [--stride-seconds S | --stride N] [--sigma-seconds S | --sigma X] [--merge-gap-seconds S]
       [--min-length-seconds S] [--json]

Scores each video file PATH (importing it into the project in DIR when it is not there) with
anomaly run ID (default: the newest run with a trained model) and stores its per-frame curve,
replacing the run's earlier curve of that video. Prints per video its frames, peak score and
its highest events: runs of frames whose smoothed score is above the threshold, merged across
short gaps, the highest peak first. Scores are normalised per video, so the
default threshold is relative to each curve: its mean + 2 standard deviations.
Times are seconds from the video's first frame; frames are 0-based, an event's end inclusive.
Durations are set in seconds and converted per video from the frame rate its decoder delivers.
The model sees the frames a second its run was trained at (the run's sampleFps, ~10): of a 30 fps
video every 3rd frame; every frame still gets a score (from the nearest scored frame).
  --threshold X           a fixed threshold for every video instead
  --events N              events listed per video (default 5)
  --stride-seconds S      seconds between neighbouring 7-frame windows (default ${SCORE_DEFAULTS.strideSeconds})
  --stride N              the same in video frames; wins over --stride-seconds when both are given
  --sigma-seconds S       Gaussian smoothing of the curve, σ in seconds (default ${SCORE_DEFAULTS.sigmaSeconds}; 0 = none)
  --sigma X               σ in video frames; wins over --sigma-seconds when both are given
  --merge-gap-seconds S   events closer than this are one event (default 1)
  --min-length-seconds S  events shorter than this are not listed (default 0)
  --json                  {runId, threshold, videos: [{videoId, path, frames, fps, sampling:
                          {fps, frameStep, sampledFps, strideFrames, strideSeconds, halfSpanFrames,
                          sigmaFrames, sigmaSeconds}, peakFrame, peakTime, peakScore, peakBox, mean, std,
                          threshold, eventCount, events: [{startFrame, endFrame, start, end,
                          duration, peakFrame, peakTime, peakScore, peakBox, box}]}], imported}
                          peakBox is {x, y, w, h} in the video's pixels: the region that made the
                          peak frame's score (null where none did); box holds every frame's box of
                          the event.`;

export interface ScoredVideo extends Omit<CurveSummary, 'events'> {
  videoId: number;
  path: string;
  fps: number | null;
  /** What the scoring sampled and used for this video (null for a curve stored before it was recorded). */
  sampling: AnomalySampling | null;
  peakTime: number | null;
  events: {
    startFrame: number;
    endFrame: number;
    /** Seconds: the event's first frame starts, its last frame ends. */
    start: number;
    end: number;
    /** end − start, seconds. */
    duration: number;
    peakFrame: number;
    peakTime: number;
    peakScore: number;
    peakBox: FrameBox | null;
    box: FrameBox | null;
  }[];
}

export interface ScoreReport {
  runId: number;
  threshold: number | 'mean+2std';
  videos: ScoredVideo[];
  imported: string[];
}

interface ScoreFlags {
  runId: number | undefined;
  threshold: number | undefined;
  top: number;
  events: EventSeconds;
  options: AnomalyScoreOptionsInput;
}

function wholeFlag(command: string, flag: string, raw: unknown, min: number, max: number): number {
  const n = numberFlag(command, flag, raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${command}: --${flag} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}.`);
  }
  return n;
}

/** A number flag from `min` (excluded when `above`) to `max`, or a UsageError naming the flag. */
function rangeFlag(command: string, flag: string, raw: unknown, min: number, max: number, above = false): number {
  const n = numberFlag(command, flag, raw);
  if (n < min || n > max || (above && n === min)) {
    throw new UsageError(`${command}: --${flag} must be ${above ? 'above' : 'from'} ${min} ${above ? 'and at most' : 'to'} ${max}, not ${JSON.stringify(raw)}.`);
  }
  return n;
}

/** "sampled 1 frame in 3 of 30 fps (10 fps), windows 0.6 s (18 frames) apart, σ 0.8 s (24 frames)". */
export function samplingText(s: AnomalySampling): string {
  const secs = (x: number | null) => (x === null ? '? s' : `${Number(x.toFixed(3))} s`);
  const rate = (x: number | null) => (x === null ? '? fps' : `${Number(x.toFixed(2))} fps`);
  const every = s.frameStep === 1 ? 'every frame' : `1 frame in ${s.frameStep}`;
  return (
    `sampled ${every} of ${rate(s.fps)} (${rate(s.sampledFps)}), windows ${secs(s.strideSeconds)} (${s.strideFrames} frames) apart, ` +
    `σ ${secs(s.sigmaSeconds)} (${Number(s.sigmaFrames.toFixed(2))} frames)`
  );
}

async function describeVideo(core: Core, runId: number, video: VideoDto, flags: ScoreFlags): Promise<ScoredVideo | null> {
  let dto;
  try {
    dto = await core.call('anomaly:scores', { runId, videoId: video.id });
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
  const timing = await timingFor(core, video.id);
  const fps = dto.fps ?? video.fps;
  const summary = summariseCurve(decodeFloat32(dto.scores), {
    ...(flags.threshold !== undefined ? { threshold: flags.threshold } : {}),
    ...eventFramesOf(flags.events, fps),
    top: flags.top,
    boxes: dto.boxes === null ? null : decodeFrameBoxes(dto.boxes.frames),
  });
  const at = (frame: number) => secondsOfFrame(timing, frame);
  return {
    ...summary,
    videoId: video.id,
    path: video.path,
    fps,
    sampling: dto.sampling,
    peakTime: summary.peakFrame === null ? null : at(summary.peakFrame),
    events: summary.events.map((e) => ({
      startFrame: e.startFrame,
      endFrame: e.endFrame,
      start: at(e.startFrame),
      end: at(e.endFrame + 1),
      duration: at(e.endFrame + 1) - at(e.startFrame),
      peakFrame: e.peakFrame,
      peakTime: at(e.peakFrame),
      peakScore: e.peakScore,
      peakBox: e.peakBox,
      box: e.box,
    })),
  };
}

async function score(core: Core, dir: string, paths: string[], flags: ScoreFlags): Promise<ScoreReport> {
  await openProject(core, dir);
  const run = await anomalyRunFor(core, flags.runId, 'model');
  const footage = await footageFor(core, paths);
  const job = await core.call('anomaly:score', {
    runId: run.id,
    videoIds: footage.videos.map((v) => v.id),
    options: flags.options,
  });
  const end = await runJobToEnd(core, job.id, 'anomaly scoring');
  if (end.state !== 'succeeded') {
    // Videos scored before the failure stay stored; the reason names the one that failed.
    throw new Error(`scoring with anomaly run ${run.id} ${end.state}: ${end.error ?? 'no reason given'}`);
  }
  const videos: ScoredVideo[] = [];
  for (const video of footage.videos) {
    const scored = await describeVideo(core, run.id, video, flags);
    if (!scored) throw new Error(`${video.path}: anomaly run ${run.id} stored no scores for it.`);
    videos.push(scored);
  }
  return { runId: run.id, threshold: flags.threshold ?? 'mean+2std', videos, imported: footage.imported };
}

const fixed = (n: number | null, digits = 3) => (n === null ? '-' : n.toFixed(digits));

function printReport(report: ScoreReport): void {
  const how = report.threshold === 'mean+2std' ? 'mean + 2 std of each curve' : `${report.threshold}`;
  printLine(`Scored ${report.videos.length} video(s) with anomaly run ${report.runId} (event threshold: ${how}).`);
  for (const v of report.videos) {
    printLine(
      `${v.path}: ${v.frames} frames, peak ${fixed(v.peakScore)} at frame ${v.peakFrame ?? '-'} (${fixed(v.peakTime, 2)} s), ` +
        `${v.eventCount} event(s) above ${fixed(v.threshold)}`,
    );
    if (v.sampling) printLine(`  ${samplingText(v.sampling)}`);
    for (const e of v.events) {
      printLine(
        `  frames ${e.startFrame}-${e.endFrame} (${e.start.toFixed(2)}-${e.end.toFixed(2)} s, ${e.duration.toFixed(2)} s long), ` +
          `peak ${e.peakScore.toFixed(3)} at frame ${e.peakFrame} (${e.peakTime.toFixed(2)} s)` +
          (e.peakBox ? `, region ${e.peakBox.w}×${e.peakBox.h} at (${e.peakBox.x}, ${e.peakBox.y})` : ''),
      );
    }
  }
}

export async function runAnomalyScore(args: string[]): Promise<number> {
  const command = 'anomaly score';
  const { values, positionals } = parseCommandArgs(command, args, {
    run: { type: 'string' },
    threshold: { type: 'string' },
    events: { type: 'string' },
    stride: { type: 'string' },
    'stride-seconds': { type: 'string' },
    sigma: { type: 'string' },
    'sigma-seconds': { type: 'string' },
    'merge-gap-seconds': { type: 'string' },
    'min-length-seconds': { type: 'string' },
  });
  if (values.help) {
    printLine(SCORE_HELP);
    return 0;
  }
  expectPositionals(command, positionals, 2, Number.POSITIVE_INFINITY, 'the project folder DIR and at least one video PATH');
  const options: AnomalyScoreOptionsInput = {};
  // The frame flags are explicit overrides: the scorer uses them over the seconds when both are given.
  if (values.stride !== undefined) options.stride = wholeFlag(command, 'stride', values.stride, 1, 1000);
  if (values['stride-seconds'] !== undefined) options.strideSeconds = rangeFlag(command, 'stride-seconds', values['stride-seconds'], 0, 60, true);
  if (values.sigma !== undefined) options.sigma = rangeFlag(command, 'sigma', values.sigma, 0, 10_000);
  if (values['sigma-seconds'] !== undefined) options.sigmaSeconds = rangeFlag(command, 'sigma-seconds', values['sigma-seconds'], 0, 600);
  const flags: ScoreFlags = {
    runId: anomalyRunIdOf(values.run, command),
    threshold: values.threshold === undefined ? undefined : numberFlag(command, 'threshold', values.threshold),
    top: values.events === undefined ? 5 : wholeFlag(command, 'events', values.events, 0, 10_000),
    events: {
      mergeGapSeconds: values['merge-gap-seconds'] === undefined ? 1 : rangeFlag(command, 'merge-gap-seconds', values['merge-gap-seconds'], 0, 3600),
      minLengthSeconds: values['min-length-seconds'] === undefined ? 0 : rangeFlag(command, 'min-length-seconds', values['min-length-seconds'], 0, 3600),
    },
    options,
  };
  const [dir, ...paths] = positionals as [string, ...string[]];
  const report = await withCore('cli', (core) => score(core, dir, paths, flags));
  if (values.json) printJson(report);
  else printReport(report);
  return 0;
}
