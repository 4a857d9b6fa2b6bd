// Draws one frame: a dark tinted background, digit sprites (bilinear, on a canvas that wraps at
// the edges, so a digit leaving on the right comes back on the left) and per-pixel noise.

/** Grey level of a 28×28 sprite at (u, v) in sprite pixels, 0 outside; bilinear. */
function sample(image, side, u, v) {
  const x = u - 0.5;
  const y = v - 0.5;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  if (x0 < -1 || y0 < -1 || x0 >= side || y0 >= side) return 0;
  const fx = x - x0;
  const fy = y - y0;
  const at = (i, j) => (i < 0 || j < 0 || i >= side || j >= side ? 0 : image[j * side + i]);
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return (top * (1 - fy) + bottom * fy) / 255;
}

/** Wraps a difference in canvas sides into [-0.5, 0.5). */
function wrap(d) {
  return d - Math.floor(d + 0.5);
}

/**
 * Composites a sprite over `canvas` (Float32Array side·side·3, 0..1). pose: x, y in canvas
 * sides, angle in radians (clockwise on screen), scale in screen pixels per sprite pixel.
 */
export function drawSprite(canvas, side, sprite, pose, colour, opacity) {
  const half = sprite.side / 2;
  const cos = Math.cos(pose.angle);
  const sin = Math.sin(pose.angle);
  const reach = (half * Math.SQRT2 * pose.scale + 1) / side;
  for (let py = 0; py < side; py++) {
    const dy = wrap((py + 0.5) / side - pose.y);
    if (Math.abs(dy) > reach) continue;
    for (let px = 0; px < side; px++) {
      const dx = wrap((px + 0.5) / side - pose.x);
      if (Math.abs(dx) > reach) continue;
      // Screen offset in pixels → sprite coordinates (inverse rotation, inverse scale).
      const sx = (dx * side) / pose.scale;
      const sy = (dy * side) / pose.scale;
      const ink = sample(sprite.image, sprite.side, cos * sx + sin * sy + half, -sin * sx + cos * sy + half);
      if (ink <= 0) continue;
      const a = ink * opacity;
      const o = (py * side + px) * 3;
      for (let c = 0; c < 3; c++) canvas[o + c] = canvas[o + c] * (1 - a) + colour[c] * a;
    }
  }
}

export function fillBackground(canvas, colour) {
  for (let o = 0; o < canvas.length; o += 3) {
    canvas[o] = colour[0];
    canvas[o + 1] = colour[1];
    canvas[o + 2] = colour[2];
  }
}

/** Adds Gaussian noise (σ in 0..1 units) and converts to rgb24 bytes. */
export function toBytes(canvas, rng, sigma, out) {
  for (let i = 0; i < canvas.length; i++) {
    const v = canvas[i] + sigma * rng.normal();
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

/** HSV (all 0..1) → RGB. */
export function hsv(h, s, v) {
  const k = (n) => (n + h * 6) % 6;
  const f = (n) => v - v * s * Math.max(0, Math.min(k(n), 4 - k(n), 1));
  return [f(5), f(3), f(1)];
}
