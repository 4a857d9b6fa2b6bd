import type { Architecture, TrainSettings } from '../../../../shared/training.js';
import { hasExtraHeads, NO_HEADS, type ExtraHeads } from './extra-heads.js';

/** What a model is built from: everything needed to rebuild it with the same weights layout. */
export interface ModelSpec {
  architecture: Architecture;
  classes: number;
  /** T: frames per clip. */
  frames: number;
  /** S: the side of the square frames. */
  size: number;
  /** Channels of the first block; block i has width·2^i. */
  width: number;
  /** Number of blocks, each halving the side. */
  depth: number;
  /** Dropout rate before the classifier (also the MC-dropout rate). */
  dropout: number;
  /** Training-only heads beside the classifier (extra-heads.ts); absent: none. */
  heads?: ExtraHeads;
}

export function modelSpecFromSettings(settings: TrainSettings, classes: number, heads: ExtraHeads = NO_HEADS): ModelSpec {
  return {
    ...(hasExtraHeads(heads) ? { heads } : {}),
    architecture: settings.architecture,
    classes,
    frames: settings.frames,
    size: settings.size,
    width: settings.width,
    depth: settings.depth,
    dropout: settings.dropout,
  };
}

/** Throws a specific error for a spec no model can be built from. */
export function assertValidModelSpec(spec: ModelSpec): void {
  const positiveInt = (name: 'classes' | 'frames' | 'size' | 'width' | 'depth', min: number) => {
    const value = spec[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new Error(`model spec: ${name} must be an integer ≥ ${min}, got ${String(value)}`);
    }
  };
  if (spec.architecture !== 'r2plus1d' && spec.architecture !== 'frame2d') {
    throw new Error(`model spec: unknown architecture ${String(spec.architecture)} (r2plus1d or frame2d)`);
  }
  positiveInt('classes', 2);
  positiveInt('frames', 1);
  positiveInt('size', 2);
  positiveInt('width', 1);
  positiveInt('depth', 1);
  for (const [name, width] of Object.entries(spec.heads ?? NO_HEADS)) {
    if (!Number.isInteger(width) || width < 0) throw new Error(`model spec: the ${name} head's width must be a whole number ≥ 0, got ${String(width)}`);
  }
  if (!(spec.dropout >= 0 && spec.dropout < 1)) throw new Error(`model spec: dropout must be in [0, 1), got ${spec.dropout}`);
}

/** The side after `blocks` stride-2 'same' convolutions. */
export function sideAfterBlocks(size: number, blocks: number): number {
  let side = size;
  for (let i = 0; i < blocks; i++) side = Math.ceil(side / 2);
  return side;
}
