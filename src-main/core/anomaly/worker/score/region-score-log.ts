import type { PixelBox } from '../regions/pixel-box.js';

/** A Float32Array that grows by doubling, for values whose count is known only at the end of a video. */
class GrowingFloats {
  private values = new Float32Array(256);
  length = 0;

  push(source: ArrayLike<number>): void {
    if (this.length + source.length > this.values.length) {
      let capacity = this.values.length;
      while (capacity < this.length + source.length) capacity *= 2;
      const grown = new Float32Array(capacity);
      grown.set(this.values.subarray(0, this.length));
      this.values = grown;
    }
    this.values.set(source, this.length);
    this.length += source.length;
  }

  toArray(): Float32Array {
    return this.values.slice(0, this.length);
  }
}

/**
 * Every scored region of one video: the frame its window is centred on, its box in the working frame and
 * its raw score per task. A few numbers per region, so a whole video's regions fit easily (an hour at
 * stride 3 is ~10⁵–10⁶ regions).
 */
export class RegionScoreLog {
  private readonly centres: number[] = [];
  private readonly scores = new Map<string, GrowingFloats>();
  // x, y, width, height per region (whole pixels: float32 holds them exactly).
  private readonly boxes = new GrowingFloats();

  constructor(readonly tasks: readonly string[]) {
    for (const task of tasks) this.scores.set(task, new GrowingFloats());
  }

  get count(): number {
    return this.centres.length;
  }

  /** Adds the regions of a batch: their centre frames, their boxes and, for every task of the log, one score each. */
  add(centres: ArrayLike<number>, boxes: readonly PixelBox[], scores: Readonly<Record<string, ArrayLike<number>>>): void {
    if (boxes.length !== centres.length) throw new Error(`region scores: ${boxes.length} boxes for ${centres.length} regions`);
    for (const task of this.tasks) {
      const values = Object.hasOwn(scores, task) ? scores[task] : undefined;
      if (values === undefined) throw new Error(`region scores: the batch has no '${task}' scores`);
      if (values.length !== centres.length) throw new Error(`region scores: ${values.length} '${task}' scores for ${centres.length} regions`);
    }
    for (let i = 0; i < centres.length; i++) this.centres.push(centres[i]!);
    for (const box of boxes) this.boxes.push([box.x, box.y, box.width, box.height]);
    for (const task of this.tasks) this.scores.get(task)!.push(scores[task]!);
  }

  /** The log as frameScores takes it. */
  toRegionTaskScores(): { centres: Int32Array; scores: Record<string, Float32Array> } {
    const scores: Record<string, Float32Array> = {};
    for (const task of this.tasks) scores[task] = this.scores.get(task)!.toArray();
    return { centres: Int32Array.from(this.centres), scores };
  }

  /** The regions' boxes in the order of `toRegionTaskScores`: x, y, width, height each. */
  toRegionBoxes(): Float32Array {
    return this.boxes.toArray();
  }
}
