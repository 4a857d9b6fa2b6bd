/**
 * Single frames for the digit teacher: one frame of a clip drawn exactly as generate.mjs draws
 * its clips (same describeClip / renderClip, same nuisance), labelled with the main digit (0–9)
 * instead of the motion class, then area-downscaled the way the app's decoder shrinks a video
 * to a run's size (ffmpeg `scale=…:flags=area`).
 */
import { describeClip } from './clip.mjs';
import { classNames } from './motion-classes.mjs';
import { drawSprite, fillBackground, toBytes } from './render.mjs';
import { Rng } from './rng.mjs';

/** The benchmark's clips last 2 s: a frame is drawn from any time in a clip. */
const CLIP_SECONDS = 2;

/**
 * A seed stream of its own: the same mixing as rng.mjs's clipSeed but with stream tags clipSeed
 * never uses (it uses 1 for train and 2 for test), so no teacher frame repeats a benchmark clip.
 */
export function teacherSeed(seed, stream, index) {
  let h = (seed ^ 0x85a308d3) >>> 0;
  for (const n of [stream === 'held-out' ? 0x7e4 : 0x7e3, index]) {
    h = Math.imul(h ^ n, 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** Mean of each factor×factor block of an rgb24 frame (side·side·3 bytes) → floats 0..1. */
function areaDownscale(bytes, side, factor, out, offset) {
  const small = side / factor;
  const norm = 1 / (255 * factor * factor);
  for (let y = 0; y < small; y++) {
    for (let x = 0; x < small; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = ((y * factor + dy) * side + x * factor) * 3 + c;
          for (let dx = 0; dx < factor; dx++) sum += bytes[row + dx * 3];
        }
        out[offset + (y * small + x) * 3 + c] = sum * norm;
      }
    }
  }
}

/**
 * The frame of `clip` at time `t`, drawn as clip.mjs's renderClip draws it (which only yields frames
 * in order, each costing a full render: ~12× slower for one frame from the middle of a clip).
 */
function renderFrameAt(clip, mnist, side, t, canvas, bytes) {
  const main = { image: mnist.image(clip.mainIndex), side: mnist.side };
  const other = { image: mnist.image(clip.distractorIndex), side: mnist.side };
  const pixels = (pose) => ({ ...pose, scale: (pose.scale * side) / mnist.side });
  const d = clip.distractor;
  fillBackground(canvas, clip.background);
  const drift = { ...d.start, x: d.start.x + Math.cos(d.heading) * d.speed * t, y: d.start.y + Math.sin(d.heading) * d.speed * t };
  drawSprite(canvas, side, other, pixels(drift), clip.distractorColour, clip.distractorOpacity);
  drawSprite(canvas, side, main, pixels(clip.path(clip.start, t)), clip.mainColour, 1);
  return toBytes(canvas, clip.rng, clip.noise, bytes);
}

/**
 * Renders `count` frames from `mnist` (loadMnist('train') or ('test')) at `render` pixels and
 * shrinks them to `size`. Returns { images: Float32Array count·size·size·3 (0..1), digits: Uint8Array }.
 */
export function renderTeacherFrames({ mnist, count, size, render, nuisance, seed, stream }) {
  if (!Number.isInteger(render / size) || render < size) {
    throw new Error(`teacher: the render side (${render}) must be a whole multiple of --size (${size})`);
  }
  const images = new Float32Array(count * size * size * 3);
  const canvas = new Float32Array(render * render * 3);
  const bytes = new Uint8Array(render * render * 3);
  const digits = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const rng = new Rng(teacherSeed(seed, stream, i));
    const clipSeedValue = Math.floor(rng.next() * 4294967296);
    const clip = describeClip(clipSeedValue, rng.int(classNames.length), mnist, nuisance);
    const frame = renderFrameAt(clip, mnist, render, rng.uniform(0, CLIP_SECONDS), canvas, bytes);
    areaDownscale(frame, render, render / size, images, i * size * size * 3);
    digits[i] = mnist.digit(clip.mainIndex);
  }
  return { images, digits };
}
