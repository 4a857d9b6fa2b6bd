/**
 * A small seeded PRNG (mulberry32): every random choice of a run (split, shuffling,
 * augmentation parameters, dropout seeds) comes from one of these, so a seed reproduces a run.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  /** A 32-bit seed for a tfjs op or a child generator. */
  seed(): number {
    return Math.floor(this.next() * 2 ** 31);
  }

  /** Shuffles in place (Fisher–Yates) and returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const a = items[i] as T;
      items[i] = items[j] as T;
      items[j] = a;
    }
    return items;
  }

  /** `count` distinct items picked at random. */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle([...items]).slice(0, count);
  }

  /** The generator's position, for checkpoints. */
  get snapshot(): number {
    return this.state;
  }

  static restore(snapshot: number): Rng {
    const rng = new Rng(0);
    rng.state = snapshot >>> 0;
    return rng;
  }
}
