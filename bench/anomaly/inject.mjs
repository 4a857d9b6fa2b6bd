// Anomalies injected into real held-out footage, one kind per test video, with per-frame truth:
// a reversed segment, faster playback (every third frame), a frozen feed, and a foreign object
// crossing the scene fast. Frames are rgb24 Buffers of one size.

export const ANOMALY_KINDS = ['reversed', 'faster', 'frozen', 'object'];

/**
 * Where each kind goes in its test video and how long it lasts (frames). The reversed stretch is one whose
 * frame-to-frame change is the held-out footage's median, so the frame difference has no extra motion to go on.
 */
export const INJECTION_PLAN = {
  reversed: { at: 60, length: 30 },
  faster: { at: 200, length: 30 },
  frozen: { at: 150, length: 30 },
  object: { at: 250, length: 12 },
};

/**
 * Held-out videos that each carry all four kinds, the way a test video of a benchmark such as Avenue holds
 * several anomalies. Positions are in held-out source frames, in order; the reversed stretch of the first
 * is the same median-motion stretch as above, the second puts every kind elsewhere.
 */
export const MIXED_PLANS = [
  [
    { kind: 'reversed', at: 60, length: 30 },
    { kind: 'frozen', at: 150, length: 30 },
    { kind: 'faster', at: 210, length: 30 },
    { kind: 'object', at: 340, length: 12 },
  ],
  [
    { kind: 'object', at: 30, length: 12 },
    { kind: 'faster', at: 90, length: 30 },
    { kind: 'reversed', at: 230, length: 30 },
    { kind: 'frozen', at: 330, length: 30 },
  ],
];

const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));

/**
 * What one anomaly puts in place of the source from `at` on: the frames it emits, which of them are
 * anomalous ([from, to) within `frames`), and the source frame playback resumes at afterwards.
 */
function anomalySegment(kind, source, at, length, size) {
  if (kind === 'reversed') {
    // Seamless: play on to `at + length`, back to `at`, then on again, so no frame jumps at the seams
    // (a jump would be a skip, which the frame difference catches on its own). The backward run is anomalous.
    const frames = [...source.slice(at, at + length), ...source.slice(at, at + length - 1).reverse()];
    return { frames, from: length, to: 2 * length - 1, resume: at + 1 };
  }
  if (kind === 'faster') return { frames: range(length, (i) => source[at + 3 * i]), from: 0, to: length, resume: at + 3 * length };
  // A stalled feed shows one frame, then resumes where it stalled (no frame lost, no jump).
  if (kind === 'frozen') return { frames: range(length, () => source[at]), from: 0, to: length, resume: at };
  if (kind === 'object') {
    return { frames: range(length, (i) => withObject(source[at + i], (i + 0.5) / length, size)), from: 0, to: length, resume: at + length };
  }
  throw new Error(`bench: unknown anomaly kind ${kind}`);
}

/**
 * `source` with the anomalies of `plan` ([{ kind, at, length }], `at` ascending, in source frames):
 * { frames, truth, intervals } where truth[t] = 1 on anomalous output frames and intervals lists
 * { kind, at, length } in output frames.
 */
export function injectAnomalies(plan, source, size) {
  const frames = [];
  const intervals = [];
  let next = 0;
  for (const { kind, at, length } of plan) {
    if (at < next) throw new Error(`bench: the ${kind} injection at ${at} overlaps the one before it (source frame ${next} on)`);
    frames.push(...source.slice(next, at));
    const segment = anomalySegment(kind, source, at, length, size);
    intervals.push({ kind, at: frames.length + segment.from, length: segment.to - segment.from });
    frames.push(...segment.frames);
    next = segment.resume;
  }
  frames.push(...source.slice(next));
  if (frames.some((f) => f === undefined)) throw new Error(`bench: the held-out footage is too short for ${plan.map((p) => p.kind).join(', ')}`);
  const truth = new Uint8Array(frames.length);
  for (const { at, length } of intervals) truth.fill(1, at, at + length);
  return { frames, truth, intervals };
}

/**
 * A ball (orange disc, dark rim, radius 1/16 of the width) crossing from left to right along a
 * shallow diagonal; `progress` in (0, 1) is how far across it is.
 */
function withObject(frame, progress, { width, height }) {
  const out = Buffer.from(frame);
  const radius = Math.round(width / 16);
  const cx = Math.round(-radius + progress * (width + 2 * radius));
  const cy = Math.round(height * (0.35 + 0.3 * progress));
  for (let y = Math.max(0, cy - radius); y < Math.min(height, cy + radius + 1); y++) {
    for (let x = Math.max(0, cx - radius); x < Math.min(width, cx + radius + 1); x++) {
      const d = Math.hypot(x - cx, y - cy);
      if (d > radius) continue;
      const rim = d > radius - 3;
      const i = (y * width + x) * 3;
      out[i] = rim ? 40 : 250;
      out[i + 1] = rim ? 25 : 140;
      out[i + 2] = rim ? 10 : 30;
    }
  }
  return out;
}
