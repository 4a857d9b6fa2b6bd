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

const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));

/** `source` with one anomaly of `kind`: { frames, truth } where truth[t] = 1 on the anomalous output frames. */
export function injectAnomaly(kind, source, { width, height }) {
  const plan = INJECTION_PLAN[kind];
  let { at, length } = plan;
  let frames;
  if (kind === 'reversed') {
    // Seamless: play on to `at + length`, back to `at`, then on again, so no frame jumps at the seams
    // (a jump would be a skip, which the frame difference catches on its own). The backward run is anomalous.
    frames = [...source.slice(0, plan.at + plan.length), ...source.slice(plan.at, plan.at + plan.length - 1).reverse(), ...source.slice(plan.at + 1)];
    at = plan.at + plan.length;
    length = plan.length - 1;
  } else if (kind === 'faster') {
    frames = [...source.slice(0, at), ...range(length, (i) => source[at + 3 * i]), ...source.slice(at + 3 * length)];
  } else if (kind === 'frozen') {
    // A stalled feed shows one frame, then resumes where it stalled (no frame lost, no jump).
    frames = [...source.slice(0, at), ...range(length, () => source[at]), ...source.slice(at)];
  } else if (kind === 'object') {
    frames = source.map((frame, t) => (t >= at && t < at + length ? withObject(frame, (t - at + 0.5) / length, { width, height }) : frame));
  } else {
    throw new Error(`bench: unknown anomaly kind ${kind}`);
  }
  if (frames.some((f) => f === undefined)) throw new Error(`bench: the held-out footage is too short for the ${kind} injection`);
  const truth = new Uint8Array(frames.length);
  truth.fill(1, at, at + length);
  return { frames, truth, at, length };
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
