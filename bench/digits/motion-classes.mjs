/**
 * The ten classes: how the main digit moves over a clip. Every class starts from a position
 * uniform on the (wrapping) canvas and an angle uniform on the circle, and keeps its scale, so a
 * single frame has the same distribution in every class (any digit, anywhere, at any angle, any
 * size): only the change between frames tells the class. Speeds are in canvas sides per second.
 *
 * Screen coordinates have y pointing down, so a growing angle turns clockwise on screen.
 * Mirror images swap classes (a horizontal flip swaps right/left and every clockwise/anticlockwise
 * pair, a vertical one up/down and those pairs too): train with flips off (`--no-flip`). A
 * rotation of ±30° or a shear of 0.3 (strong augmentation) keeps every class.
 */
const TAU = 2 * Math.PI;

function translation(dx, dy) {
  return (rng) => {
    const speed = rng.uniform(0.2, 0.35);
    return (start, t) => ({ ...start, x: start.x + dx * speed * t, y: start.y + dy * speed * t });
  };
}

function spin(direction) {
  return (rng) => {
    const omega = direction * TAU * rng.uniform(0.17, 0.3);
    return (start, t) => ({ ...start, angle: start.angle + omega * t });
  };
}

function shake(dx, dy) {
  return (rng) => {
    const amplitude = rng.uniform(0.08, 0.14);
    const frequency = rng.uniform(0.8, 1.2);
    const phase = rng.uniform(0, TAU);
    return (start, t) => {
      const offset = amplitude * Math.sin(TAU * frequency * t + phase);
      return { ...start, x: start.x + dx * offset, y: start.y + dy * offset };
    };
  };
}

function orbit(direction) {
  return (rng) => {
    const radius = rng.uniform(0.11, 0.17);
    const omega = direction * TAU * rng.uniform(0.3, 0.45);
    const phase = rng.uniform(0, TAU);
    // Centred on the start so the position at any time is still uniform on the canvas.
    return (start, t) => ({
      ...start,
      x: start.x + radius * (Math.cos(phase + omega * t) - Math.cos(phase)),
      y: start.y + radius * (Math.sin(phase + omega * t) - Math.sin(phase)),
    });
  };
}

/** name → (rng) → (start pose, seconds) → pose; pose = {x, y, angle, scale}, x/y in canvas sides. */
export const motionClasses = [
  { name: 'right', motion: translation(1, 0) },
  { name: 'left', motion: translation(-1, 0) },
  { name: 'up', motion: translation(0, -1) },
  { name: 'down', motion: translation(0, 1) },
  { name: 'turn-clockwise', motion: spin(1) },
  { name: 'turn-anticlockwise', motion: spin(-1) },
  { name: 'shake-sideways', motion: shake(1, 0) },
  { name: 'shake-up-down', motion: shake(0, 1) },
  { name: 'circle-clockwise', motion: orbit(1) },
  { name: 'circle-anticlockwise', motion: orbit(-1) },
];

export const classNames = motionClasses.map((c) => c.name);
