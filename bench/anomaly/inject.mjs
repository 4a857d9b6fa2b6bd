// Anomalies injected into real held-out footage, with per-frame truth: a reversed segment, faster
// playback (every n-th frame), a frozen feed, and a foreign object crossing the scene fast. Frames are
// rgb24 Buffers of one size. Plans are written in seconds ({ kind, at, length, factor?, style? }) so an
// anomaly means the same at 10 and 25 fps; planFrames turns them into frames for one frame rate.

export const ANOMALY_KINDS = ['reversed', 'faster', 'frozen', 'object'];

/**
 * A plan in seconds as frames at `fps`: `at` (where in the held-out source it starts) and `length` (how many
 * anomalous output frames) are rounded to whole frames. `at: { busiest: [from, to] }` starts the anomaly at the
 * stretch of `length` with the most frame-to-frame change between those seconds, from `motion` (one value per
 * source frame, e.g. frameDifferenceScores): a frozen feed at a busy moment loses the most.
 */
export function planFrames(plan, fps, motion = null) {
  return plan.map((step) => {
    const length = Math.max(1, Math.round(step.length * fps));
    const at = typeof step.at === 'number' ? Math.round(step.at * fps) : busiestStart(step, length, fps, motion);
    return { ...step, at, length };
  });
}

function busiestStart(step, length, fps, motion) {
  const [from, to] = step.at?.busiest ?? [];
  if (!(from >= 0 && to > from)) throw new Error(`bench: the ${step.kind} injection needs at: a number of seconds or { busiest: [from, to] }`);
  if (!motion) throw new Error(`bench: the ${step.kind} injection at the busiest moment needs the footage's motion`);
  const first = Math.round(from * fps);
  const last = Math.min(Math.round(to * fps), motion.length) - length;
  if (last < first) throw new Error(`bench: no ${step.length} s stretch between ${from} s and ${to} s of the held-out footage`);
  let best = first;
  let bestSum = -Infinity;
  for (let start = first; start <= last; start++) {
    let sum = 0;
    for (let f = start; f < start + length; f++) sum += motion[f];
    if (sum > bestSum) [best, bestSum] = [start, sum];
  }
  return best;
}

const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));

/**
 * What one anomaly puts in place of the source from `at` on: the frames it emits, which of them are
 * anomalous ([from, to) within `frames`), and the source frame playback resumes at afterwards.
 */
function anomalySegment({ kind, at, length, factor = 3, style = 'ball' }, source, size) {
  if (kind === 'reversed') {
    // Seamless: play on to `at + length`, back to `at`, then on again, so no frame jumps at the seams
    // (a jump would be a skip, which the frame difference catches on its own). The backward run is anomalous.
    const frames = [...source.slice(at, at + length), ...source.slice(at, at + length - 1).reverse()];
    return { frames, from: length, to: 2 * length - 1, resume: at + 1 };
  }
  if (kind === 'faster') {
    if (!(Number.isInteger(factor) && factor >= 2)) throw new Error(`bench: faster playback needs a whole factor ≥ 2, not ${factor}`);
    return { frames: range(length, (i) => source[at + factor * i]), from: 0, to: length, resume: at + factor * length };
  }
  // A stalled feed shows one frame, then resumes where it stalled (no frame lost, no jump).
  if (kind === 'frozen') return { frames: range(length, () => source[at]), from: 0, to: length, resume: at };
  if (kind === 'object') {
    const draw = OBJECTS[style];
    if (!draw) throw new Error(`bench: unknown object style ${style} (there are: ${Object.keys(OBJECTS).join(', ')})`);
    return { frames: range(length, (i) => draw(source[at + i], (i + 0.5) / length, size)), from: 0, to: length, resume: at + length };
  }
  throw new Error(`bench: unknown anomaly kind ${kind}`);
}

/**
 * `source` with the anomalies of `plan` ([{ kind, at, length, factor?, style? }], `at` ascending, in source
 * frames, as planFrames gives): { frames, truth, intervals } where truth[t] = 1 on anomalous output frames and
 * intervals lists { kind, at, length } in output frames.
 */
export function injectAnomalies(plan, source, size) {
  const frames = [];
  const intervals = [];
  let next = 0;
  for (const step of plan) {
    const { kind, at } = step;
    if (at < next) throw new Error(`bench: the ${kind} injection at ${at} overlaps the one before it (source frame ${next} on)`);
    frames.push(...source.slice(next, at));
    const segment = anomalySegment(step, source, size);
    intervals.push({ kind, at: frames.length + segment.from, length: segment.to - segment.from });
    frames.push(...segment.frames);
    next = segment.resume;
  }
  frames.push(...source.slice(next));
  if (next > source.length || frames.some((f) => f === undefined)) {
    throw new Error(`bench: the held-out footage (${source.length} frames) is too short for ${plan.map((p) => p.kind).join(', ')}`);
  }
  const truth = new Uint8Array(frames.length);
  for (const { at, length } of intervals) truth.fill(1, at, at + length);
  return { frames, truth, intervals };
}

/** Paints each pixel of `frame` (a copy) for which `colour(x, y)` gives [r, g, b] within the box. */
function paint(frame, { width, height }, box, colour) {
  const out = Buffer.from(frame);
  for (let y = Math.max(0, box.top); y < Math.min(height, box.bottom); y++) {
    for (let x = Math.max(0, box.left); x < Math.min(width, box.right); x++) {
      const rgb = colour(x, y);
      if (!rgb) continue;
      const i = (y * width + x) * 3;
      [out[i], out[i + 1], out[i + 2]] = rgb;
    }
  }
  return out;
}

/** Foreign objects; `progress` in (0, 1) is how far across the scene the object is. */
const OBJECTS = {
  /** An orange ball with a dark rim (radius 1/16 of the width), left to right along a shallow diagonal down. */
  ball(frame, progress, size) {
    const radius = Math.round(size.width / 16);
    const cx = Math.round(-radius + progress * (size.width + 2 * radius));
    const cy = Math.round(size.height * (0.35 + 0.3 * progress));
    const box = { left: cx - radius, right: cx + radius + 1, top: cy - radius, bottom: cy + radius + 1 };
    return paint(frame, size, box, (x, y) => {
      const d = Math.hypot(x - cx, y - cy);
      if (d > radius) return null;
      return d > radius - 3 ? [40, 25, 10] : [250, 140, 30];
    });
  },
  /** A dark blue cart (1/8 of the width by 1/10 of the height, light stripe) right to left, climbing. */
  cart(frame, progress, size) {
    const w = Math.round(size.width / 8);
    const h = Math.round(size.height / 10);
    const left = Math.round(size.width - progress * (size.width + w));
    const top = Math.round(size.height * (0.75 - 0.35 * progress));
    const box = { left, right: left + w, top, bottom: top + h };
    return paint(frame, size, box, (x, y) => (y - top < h / 3 && y - top >= h / 6 ? [200, 210, 230] : [20, 30, 110]));
  },
};
export const OBJECT_STYLES = Object.keys(OBJECTS);
