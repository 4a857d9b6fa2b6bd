import * as tf from '@tensorflow/tfjs';
import { regionScores, taskScoresOf } from '../model/anomaly-region-scores.js';
import { teacherFeatures, type ImageTeacher } from '../teacher/image-teacher.js';
import { TUBE_FRAMES } from '../tasks/tube-batch.js';
import type { RegionScoreLog } from './region-score-log.js';

/**
 * Collects the tubes of consecutive windows until a batch is full, then scores them in one forward pass
 * and logs the numbers. Holds at most one batch of tubes (plus the last window's) on the backend.
 */
export class TubeBatcher {
  private pending: tf.Tensor5D[] = [];
  private centres: number[] = [];

  constructor(
    private readonly model: tf.LayersModel,
    private readonly log: RegionScoreLog,
    readonly batchSize: number,
    /** With a teacher, its features of each region's middle frame feed the distillation head's score. */
    private readonly teacher: ImageTeacher | null = null,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`anomaly scoring: batchSize must be a whole number ≥ 1, got ${batchSize}`);
  }

  /** Regions waiting to be scored. */
  get waiting(): number {
    return this.centres.length;
  }

  /** Takes ownership of `tubes` (all centred on frame `centre`); scores the batch once it is full. Returns true if it scored. */
  add(tubes: tf.Tensor5D, centre: number): boolean {
    const count = tubes.shape[0];
    if (count === 0) {
      tubes.dispose();
      return false;
    }
    this.pending.push(tubes);
    for (let i = 0; i < count; i++) this.centres.push(centre);
    if (this.centres.length < this.batchSize) return false;
    this.flush();
    return true;
  }

  /** Scores whatever waits. */
  flush(): void {
    if (this.pending.length === 0) return;
    const parts = this.pending;
    const centres = this.centres;
    this.pending = [];
    this.centres = [];
    try {
      const batch = parts.length === 1 ? parts[0]! : tf.concat<tf.Tensor5D>(parts, 0);
      const features = this.teacher === null ? null : middleFrameFeatures(this.teacher, batch);
      try {
        const named = taskScoresOf(
          regionScores(this.model, batch, { batchSize: Math.max(this.batchSize, centres.length), teacherFeatures: features }),
        );
        this.log.add(centres, named.scores);
      } finally {
        if (batch !== parts[0]) batch.dispose();
        features?.dispose();
      }
    } finally {
      tf.dispose(parts);
    }
  }

  /** Drops what waits without scoring it (cancel, error). */
  dispose(): void {
    tf.dispose(this.pending);
    this.pending = [];
    this.centres = [];
  }
}

function middleFrameFeatures(teacher: ImageTeacher, tubes: tf.Tensor5D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, , size, , channels] = tubes.shape;
    const middle = tf.slice(tubes, [0, (TUBE_FRAMES - 1) / 2, 0, 0, 0], [-1, 1, -1, -1, -1]).reshape<tf.Tensor4D>([n, size, size, channels]);
    return teacherFeatures(teacher, middle);
  });
}
