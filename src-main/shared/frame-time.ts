/**
 * Pure, no imports: shared by the core (cutting and storing clips) and the renderer (player, timeline).
 *
 * Frame-exact time. A video's frames are numbered from 0. Times here are seconds from the
 * first frame's presentation time ("video time"); the player reports the stream's own
 * presentation time, which is video time + the stream's start time.
 *
 * Frame i covers [timeOfFrame(i), timeOfFrame(i + 1)). With a constant frame rate that is
 * i / fps; with a variable one, the probed timestamps of every frame.
 */
export interface VideoTiming {
  /** Frames per second (the average rate). */
  fps: number;
  frameCount: number;
  /** Presentation time of the first frame in the stream, seconds. */
  startTime: number;
  /** Per-frame times in video time, ascending, when the frame rate is variable. */
  frameTimes?: Float64Array | readonly number[];
}

/** Slack for float noise in times that stand exactly on a frame boundary. */
const EPSILON = 1e-6;

export function parseFrameRate(rational: string | null | undefined): number | null {
  if (!rational) return null;
  const [numText, denText = '1'] = rational.split('/');
  const num = Number(numText);
  const den = Number(denText);
  if (!Number.isFinite(num) || !Number.isFinite(den) || num <= 0 || den <= 0) return null;
  return num / den;
}

/** What the probe stored about a video's frames (VideoDto's names; the core maps its row to them). */
export interface ProbedFrames {
  fps: number | null;
  /** Rational strings, e.g. "30000/1001". */
  avgFrameRate: string | null;
  realFrameRate: string | null;
  frameCount: number | null;
  startTime: number | null;
}

/**
 * The timing a video's clips are cut with, from what its probe stored; null when no frame rate or
 * no frames are known, and such a video cannot be labelled. The frame rate falls back from the
 * probed number to the average rate, then the stream's base rate: one chain, so the core that cuts
 * clips and the renderer that shows them can never pick different rates.
 */
export function timingFromProbe(probe: ProbedFrames): VideoTiming | null {
  const fps = probe.fps ?? parseFrameRate(probe.avgFrameRate) ?? parseFrameRate(probe.realFrameRate);
  if (!fps || !probe.frameCount || probe.frameCount <= 0) return null;
  return { fps, frameCount: probe.frameCount, startTime: probe.startTime ?? 0 };
}

export function durationOf(timing: VideoTiming): number {
  return timeOfFrame(timing, timing.frameCount);
}

/** Start time of frame `frame` (0-based); `frameCount` gives the end of the last frame. */
export function timeOfFrame(timing: VideoTiming, frame: number): number {
  const times = timing.frameTimes;
  if (times && times.length > 0) {
    if (frame < times.length) return times[Math.max(0, frame)] ?? 0;
    const last = times[times.length - 1] ?? 0;
    // Past the last timestamp, frames keep the last frame's own duration.
    const step = times.length > 1 ? last - (times[times.length - 2] ?? 0) : 1 / timing.fps;
    return last + (frame - times.length + 1) * step;
  }
  return frame / timing.fps;
}

/** The frame shown at video time `t` (clamped to the video). */
export function frameAtTime(timing: VideoTiming, t: number): number {
  const last = Math.max(0, timing.frameCount - 1);
  const times = timing.frameTimes;
  let frame: number;
  if (times && times.length > 0) {
    // Last frame whose start is at or before t.
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((times[mid] ?? 0) <= t + EPSILON) lo = mid;
      else hi = mid - 1;
    }
    frame = lo;
  } else {
    frame = Math.floor(t * timing.fps + EPSILON);
  }
  return Math.min(last, Math.max(0, frame));
}

/** The frame boundary nearest to `t`: where an interval edge given in seconds lands. */
export function nearestBoundary(timing: VideoTiming, t: number): number {
  const below = frameAtTime(timing, t);
  const candidates = [below, below + 1].filter((f) => f >= 0 && f <= timing.frameCount);
  let best = below;
  let bestGap = Infinity;
  for (const f of candidates) {
    const gap = Math.abs(timeOfFrame(timing, f) - t);
    if (gap < bestGap - EPSILON) {
      best = f;
      bestGap = gap;
    }
  }
  return best;
}

/** Player (presentation) time → video time. */
export function videoTimeFromPlayer(timing: VideoTiming, playerTime: number): number {
  return playerTime - timing.startTime;
}

/** Video time → player (presentation) time, for seeking. */
export function playerTimeFromVideo(timing: VideoTiming, videoTime: number): number {
  return videoTime + timing.startTime;
}

/** Length of one frame near frame `frame`, seconds: "within half a frame" uses it. */
export function frameDuration(timing: VideoTiming, frame: number): number {
  return timeOfFrame(timing, frame + 1) - timeOfFrame(timing, frame);
}
