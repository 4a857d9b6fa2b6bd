/** How the Anomaly view words things: counts, frames, scores, file names. */
import type { AnomalyRunDto, AnomalySampling } from '../../../src-main/shared/anomaly.js';
import { formatSeconds } from '../../../src-main/shared/anomaly-time.js';
import type { FrameBox } from '../../../src-main/shared/anomaly-boxes.js';

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** The footage a run (or the form) learns from, in words. */
export interface FootageAmount {
  intervals: number;
  videos: number;
  frames: number;
}

export function normalFootageText(normal: FootageAmount): string {
  if (normal.frames === 0) return 'No footage is marked normal yet.';
  return `${plural(normal.frames, 'frame')} marked normal in ${footageWhere(normal)}.`;
}

/** "3 videos (4 intervals)". */
export function footageWhere(normal: FootageAmount): string {
  return `${plural(normal.videos, 'video')} (${plural(normal.intervals, 'interval')})`;
}

export function tubesText(run: AnomalyRunDto): string {
  if (!run.tubes) return '—';
  return run.tubes.kept.toLocaleString('en-US');
}

export function tubesTitle(run: AnomalyRunDto): string {
  if (!run.tubes) return 'Not sampled yet';
  const { kept, seen, motionWindows, gridWindows } = run.tubes;
  return `${kept} of ${seen} tubes kept; ${motionWindows} windows with moving regions, ${gridWindows} on the grid fallback`;
}

export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(3);
}

export function formatAuc(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(3);
}

/** The file name of a path, for lists where the folder is noise. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Seconds as m:ss.s (or h:mm:ss.s), for event times. */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const tenths = Math.round(seconds * 10);
  const s = (tenths % 600) / 10;
  const m = Math.floor(tenths / 600) % 60;
  const h = Math.floor(tenths / 36000);
  const ss = s.toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A region box as the events list shows it: its size and top-left corner in the video's pixels. */
export function boxText(box: FrameBox): string {
  return `${box.w}×${box.h} at (${box.x}, ${box.y})`;
}

const rate = (fps: number | null): string => (fps === null ? '? fps' : `${Number(fps.toFixed(2))} fps`);
const secs = (seconds: number | null): string => (seconds === null ? '? s' : formatSeconds(seconds));

/** "Model saw 10 fps (1 frame in 3 of 30 fps) · windows every 0.6 s · smoothed σ 0.8 s": what a curve's scoring used. */
export function samplingLine(s: AnomalySampling): string {
  const kept = s.frameStep === 1 ? `every frame of ${rate(s.fps)}` : `1 frame in ${s.frameStep} of ${rate(s.fps)}`;
  return `Model saw ${rate(s.sampledFps)} (${kept}) · windows every ${secs(s.strideSeconds)} · smoothed σ ${secs(s.sigmaSeconds)}`;
}

/** An event's length, e.g. "1.4 s". */
export function formatDuration(seconds: number): string {
  return Number.isFinite(seconds) && seconds >= 0 ? `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s` : '—';
}
