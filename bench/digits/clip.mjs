/**
 * One clip: the main digit moving in its class's pattern, plus what the class does not depend
 * on: which digit (and its writer), start position and angle, size, colours, a dimmer slowly
 * drifting distractor digit, background tint and sensor noise.
 */
import { motionClasses } from './motion-classes.mjs';
import { drawSprite, fillBackground, hsv, toBytes } from './render.mjs';
import { Rng } from './rng.mjs';

/**
 * Draws every choice of a clip from its own seed (the class is given, so sets stay balanced).
 * `nuisance: 'low'` keeps digit, writer, position, angle and size random but draws a white digit
 * on black with faint noise and no distractor: an easier task with the same classes.
 * `nuisance: 'medium'` keeps every choice of 'full' (colours, background tint, sensor noise) but
 * the distractor digit: only one thing moves, yet its look varies from clip to clip.
 */
export function describeClip(seed, classIndex, mnist, nuisance = 'full') {
  const rng = new Rng(seed);
  const cls = motionClasses[classIndex];
  const start = { x: rng.next(), y: rng.next(), angle: rng.uniform(0, 2 * Math.PI), scale: rng.uniform(0.35, 0.5) };
  const path = cls.motion(rng);
  const distractor = {
    start: { x: rng.next(), y: rng.next(), angle: rng.uniform(0, 2 * Math.PI), scale: start.scale * rng.uniform(0.6, 0.85) },
    heading: rng.uniform(0, 2 * Math.PI),
    speed: rng.uniform(0, 0.04),
  };
  const hue = rng.next();
  const clip = {
    rng,
    label: cls.name,
    mainIndex: rng.int(mnist.count),
    distractorIndex: rng.int(mnist.count),
    start,
    path,
    distractor,
    mainColour: hsv(hue, rng.uniform(0, 0.6), rng.uniform(0.8, 1)),
    distractorColour: hsv((hue + rng.uniform(0.25, 0.75)) % 1, rng.uniform(0, 0.6), rng.uniform(0.7, 1)),
    distractorOpacity: rng.uniform(0.3, 0.5),
    background: hsv(rng.next(), rng.uniform(0, 0.5), rng.uniform(0, 0.3)),
    noise: rng.uniform(0.02, 0.06),
  };
  if (nuisance === 'low') {
    Object.assign(clip, { mainColour: [1, 1, 1], distractorOpacity: 0, background: [0, 0, 0], noise: 0.01 });
  } else if (nuisance === 'medium') {
    clip.distractorOpacity = 0;
  }
  return clip;
}

/** Yields the clip's frames as rgb24 bytes (side·side·3), one buffer per frame. */
export function* renderClip(clip, mnist, { side, fps, frames }) {
  const canvas = new Float32Array(side * side * 3);
  const main = { image: mnist.image(clip.mainIndex), side: mnist.side };
  const other = { image: mnist.image(clip.distractorIndex), side: mnist.side };
  // `scale` is the digit box as a share of the canvas side; the renderer wants pixels per sprite pixel.
  const pixels = (pose) => ({ ...pose, scale: (pose.scale * side) / mnist.side });
  const d = clip.distractor;
  for (let f = 0; f < frames; f++) {
    const t = f / fps;
    fillBackground(canvas, clip.background);
    const drift = { ...d.start, x: d.start.x + Math.cos(d.heading) * d.speed * t, y: d.start.y + Math.sin(d.heading) * d.speed * t };
    drawSprite(canvas, side, other, pixels(drift), clip.distractorColour, clip.distractorOpacity);
    drawSprite(canvas, side, main, pixels(clip.path(clip.start, t)), clip.mainColour, 1);
    yield toBytes(canvas, clip.rng, clip.noise, new Uint8Array(canvas.length));
  }
}
