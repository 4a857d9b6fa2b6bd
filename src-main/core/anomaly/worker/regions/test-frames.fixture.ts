import { Rng } from '../../../engine/random.js';
import type { GrayWindow } from './gray-window.js';
import type { RgbWindow } from './tube-crop.js';

// Synthetic grayscale windows for the region tests: a background, per-frame noise, moving squares.

export interface MovingSquare {
  /** Top-left at frame t is (x + vx·t, y + vy·t). */
  x: number;
  y: number;
  vx: number;
  vy: number;
  side: number;
  value: number;
}

export interface SyntheticWindow {
  width: number;
  height: number;
  frames: number;
  /** One value for the whole background, or a still random texture drawn from this seed. */
  background: number | { textureSeed: number };
  /** Independent uniform noise in [−noise, noise] on every pixel of every frame (clamped to 0..255). */
  noise: number;
  squares: MovingSquare[];
  seed: number;
}

export function syntheticWindow(spec: SyntheticWindow): GrayWindow {
  const { width, height } = spec;
  const base = new Uint8Array(width * height);
  if (typeof spec.background === 'number') base.fill(spec.background);
  else {
    const texture = new Rng(spec.background.textureSeed);
    for (let i = 0; i < base.length; i++) base[i] = texture.int(256);
  }
  const rng = new Rng(spec.seed);
  const frames: Uint8Array[] = [];
  for (let t = 0; t < spec.frames; t++) {
    const frame = new Float64Array(base);
    for (const s of spec.squares) {
      const left = s.x + s.vx * t;
      const top = s.y + s.vy * t;
      for (let y = Math.max(0, top); y < Math.min(height, top + s.side); y++) {
        for (let x = Math.max(0, left); x < Math.min(width, left + s.side); x++) frame[y * width + x] = s.value;
      }
    }
    const out = new Uint8Array(frame.length);
    for (let i = 0; i < frame.length; i++) {
      const n = spec.noise > 0 ? rng.int(2 * spec.noise + 1) - spec.noise : 0;
      out[i] = Math.min(255, Math.max(0, frame[i]! + n));
    }
    frames.push(out);
  }
  return { frames, width, height };
}

/** Grey g as rgb (g, g, g): its BT.601 luma (77 + 150 + 29 = 256) is exactly g again. */
export function asRgb(window: GrayWindow): RgbWindow {
  return {
    width: window.width,
    height: window.height,
    frames: window.frames.map((gray) => {
      const rgb = new Uint8Array(gray.length * 3);
      gray.forEach((g, i) => rgb.fill(g, i * 3, i * 3 + 3));
      return rgb;
    }),
  };
}
