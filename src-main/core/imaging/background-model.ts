/**
 * The still background of a video, for background subtraction: the per-pixel median of a ring of
 * past grey frames, one taken every `sampleEvery` frames. A walker covers a pixel in few of the
 * samples, so the median is the scene behind it. Memory is bounded by the ring, however long the video.
 */

export interface BackgroundOptions {
  /** Frames between two samples (neighbouring frames hold the same walkers). */
  sampleEvery?: number;
  /** Samples kept; the oldest goes when a new one comes. Odd, so the median is one of them. */
  samples?: number;
  /** Samples needed before there is a background at all. */
  minSamples?: number;
  /** The median is computed again after this many new samples (it is the costly part). */
  refreshEvery?: number;
}

export const BACKGROUND_DEFAULTS = { sampleEvery: 5, samples: 41, minSamples: 9, refreshEvery: 4 } as const;

function checkWhole(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new Error(`background: ${name} must be a whole number ≥ ${min}, got ${value}`);
  return value;
}

export class BackgroundModel {
  private readonly sampleEvery: number;
  private readonly capacity: number;
  private readonly minSamples: number;
  private readonly refreshEvery: number;
  private readonly ring: Uint8Array[] = [];
  private next = 0;
  private lastIndex = -1;
  private taken = 0;
  private median: Uint8Array | null = null;

  constructor(
    readonly pixels: number,
    options: BackgroundOptions = {},
  ) {
    const d = BACKGROUND_DEFAULTS;
    checkWhole('pixels', pixels, 1);
    this.sampleEvery = checkWhole('sampleEvery', options.sampleEvery ?? d.sampleEvery, 1);
    this.capacity = checkWhole('samples', options.samples ?? d.samples, 1);
    this.minSamples = checkWhole('minSamples', options.minSamples ?? d.minSamples, 1);
    this.refreshEvery = checkWhole('refreshEvery', options.refreshEvery ?? d.refreshEvery, 1);
    if (this.minSamples > this.capacity) throw new Error(`background: minSamples (${this.minSamples}) is more than the ring holds (${this.capacity})`);
  }

  /**
   * Offers frame `index` (decode order). It becomes a sample when its index is a multiple of
   * `sampleEvery` and later than every frame offered before; others (and repeats) are ignored, so
   * overlapping windows can offer all their frames.
   */
  offer(index: number, gray: () => Uint8Array): void {
    if (index <= this.lastIndex) return;
    this.lastIndex = index;
    if (index % this.sampleEvery !== 0) return;
    const frame = gray();
    if (frame.length !== this.pixels) throw new Error(`background: frame ${index} has ${frame.length} pixels, the background ${this.pixels}`);
    if (this.ring.length < this.capacity) this.ring.push(frame);
    else this.ring[this.next] = frame;
    this.next = (this.next + 1) % this.capacity;
    this.taken++;
    // Computed here, at fixed sample counts, so the background at a frame does not depend on how often it is asked for.
    const beyond = this.taken - this.minSamples;
    if (beyond >= 0 && beyond % this.refreshEvery === 0) this.median = pixelMedian(this.ring, this.pixels);
  }

  /** Frames from the first one to the one that brings the `minSamples`-th sample. */
  get warmUpFrames(): number {
    return (this.minSamples - 1) * this.sampleEvery + 1;
  }

  /** The median background, or null until `minSamples` samples have come. */
  current(): Uint8Array | null {
    return this.median;
  }
}

/** Per pixel, the median of the frames (the lower middle value when their number is even). */
export function pixelMedian(frames: readonly Uint8Array[], pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  const n = frames.length;
  if (n === 0) return out;
  // A histogram per pixel would cost 256 steps; an insertion sort of ≤ 41 bytes is cheaper.
  const column = new Uint8Array(n);
  const rank = (n - 1) >> 1;
  for (let p = 0; p < pixels; p++) {
    for (let k = 0; k < n; k++) {
      const v = frames[k]![p]!;
      let j = k;
      while (j > 0 && column[j - 1]! > v) {
        column[j] = column[j - 1]!;
        j--;
      }
      column[j] = v;
    }
    out[p] = column[rank]!;
  }
  return out;
}
