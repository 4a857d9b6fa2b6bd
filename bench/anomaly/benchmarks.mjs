// The real-footage anomaly benchmarks of bench/anomaly-footage.mjs. Each takes OpenCV's pedestrian sample
// (vtest.avi, 768×576, 10 fps, 79.5 s) through an ffmpeg filter, trains on one part of it and injects
// anomalies into the other, in two layouts: one kind per test video, and two videos that each hold all four.
// Times are in seconds of the filtered footage, so a plan means the same at every frame rate.

/** The first benchmark's plans: where each kind goes in the held-out 39.5 s, and for how long. */
const VTEST_LAYOUTS = [
  {
    slug: 'one-per-video',
    name: 'one kind per video',
    // The reversed stretch is one whose frame-to-frame change is the held-out footage's median, so the frame
    // difference has no extra motion to go on.
    videos: [
      [{ kind: 'reversed', at: 6, length: 3 }],
      [{ kind: 'faster', at: 20, length: 3, factor: 3 }],
      [{ kind: 'frozen', at: 15, length: 3 }],
      [{ kind: 'object', at: 25, length: 1.2, style: 'ball' }],
    ],
  },
  {
    slug: 'mixed',
    name: 'all kinds in each video',
    videos: [
      [
        { kind: 'reversed', at: 6, length: 3 },
        { kind: 'frozen', at: 15, length: 3 },
        { kind: 'faster', at: 21, length: 3, factor: 3 },
        { kind: 'object', at: 34, length: 1.2, style: 'ball' },
      ],
      [
        { kind: 'object', at: 3, length: 1.2, style: 'ball' },
        { kind: 'faster', at: 9, length: 3, factor: 3 },
        { kind: 'reversed', at: 23, length: 3 },
        { kind: 'frozen', at: 33, length: 3 },
      ],
    ],
  },
];

/**
 * The second benchmark's plans: other places and lengths, a frozen feed at the busiest moment of its range,
 * a long reversal (5 s), playback 5× as fast for 4 s, and another object (a cart, right to left, 3 s). The
 * kinds last 3–5 s each (30–50 frames), so each kind's AUC rests on a similar number of frames.
 */
const SECOND_LAYOUTS = [
  {
    slug: 'one-per-video',
    name: 'one kind per video',
    videos: [
      [{ kind: 'reversed', at: 14, length: 5 }],
      [{ kind: 'faster', at: 2, length: 4, factor: 5 }],
      [{ kind: 'frozen', at: { busiest: [0, 35] }, length: 4 }],
      [{ kind: 'object', at: 24, length: 3, style: 'cart' }],
    ],
  },
  {
    slug: 'mixed',
    name: 'all kinds in each video',
    videos: [
      [
        { kind: 'frozen', at: { busiest: [0, 8] }, length: 4 },
        { kind: 'reversed', at: 10, length: 5 },
        { kind: 'faster', at: 16, length: 4, factor: 5 },
        { kind: 'object', at: 36.2, length: 3, style: 'cart' },
      ],
      [
        { kind: 'object', at: 2, length: 3, style: 'cart' },
        { kind: 'faster', at: 7, length: 4, factor: 5 },
        { kind: 'reversed', at: 28, length: 5 },
        { kind: 'frozen', at: { busiest: [30, 39.5] }, length: 4 },
      ],
    ],
  },
];

/**
 * Each benchmark: `fps` of its footage, `filter(width, height)` the ffmpeg video filter that makes it from the
 * source, `normal` and `heldOut` as [from, to) seconds (to = null: the end), and its layouts.
 */
export const BENCHMARKS = [
  {
    name: 'vtest',
    description: 'vtest.avi as it is (10 fps); trains on the first 40 s, anomalies in the last 39.5 s',
    fps: 10,
    filter: (width, height) => `scale=${width}:${height}`,
    normal: [0, 40],
    heldOut: [40, null],
    layouts: VTEST_LAYOUTS,
  },
  {
    name: 'vtest-25fps',
    description: 'the same footage, split and anomalies (in seconds) at 25 fps, made with motion-compensated interpolation (minterpolate)',
    fps: 25,
    // Interpolated frames, not repeated ones: a repeated frame is what a frozen feed looks like.
    filter: (width, height) => `scale=${width}:${height},minterpolate=fps=25:mi_mode=mci`,
    normal: [0, 40],
    heldOut: [40, null],
    layouts: VTEST_LAYOUTS,
  },
  {
    name: 'vtest-mirrored',
    description: 'vtest.avi mirrored and cropped to its lower middle 3/4 (walkers 4/3 as large, walking the other way); ' +
      'trains on the last 40 s, anomalies in the first 39.5 s, at other places and lengths',
    fps: 10,
    filter: (width, height) => `hflip,crop=iw*3/4:ih*3/4:iw/8:ih/4,scale=${width}:${height}`,
    normal: [39.5, null],
    heldOut: [0, 39.5],
    layouts: SECOND_LAYOUTS,
  },
];

export const BENCHMARK_NAMES = BENCHMARKS.map((b) => b.name);

/** The benchmarks named in `list` (comma-separated), in BENCHMARKS' order; throws on an unknown name. */
export function pickBenchmarks(list) {
  const names = list.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !BENCHMARK_NAMES.includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`bench: no benchmark called ${unknown.join(', ') || '(none given)'} (there are: ${BENCHMARK_NAMES.join(', ')})`);
  }
  return BENCHMARKS.filter((b) => names.includes(b.name));
}

/** Frames [from, to) of `frames` for seconds [from, to) at `fps` (to = null: the end). */
export function framesBetween(frames, [from, to], fps) {
  return frames.slice(Math.round(from * fps), to === null ? frames.length : Math.round(to * fps));
}
