import * as tf from '@tensorflow/tfjs';
import { taskScoresOf } from '../model/anomaly-region-scores.js';
import type { PixelBox } from '../regions/pixel-box.js';
import type { MiddleFrameSamples } from '../tasks/task-samples.js';
import { teacherFeatures, type ImageTeacher } from '../../../teacher/worker/image-teacher.js';
import type { RegionScoreLog } from './region-score-log.js';
import { tfjsRegionForward, type RegionForward } from './forward/region-forward.js';

/**
 * Collects the regions of consecutive windows (the model's input and the middle frame, as
 * `WindowFrameTensors.cropSamples` cuts them) until a batch is full, then scores them in one forward pass
 * and logs the numbers. Holds at most one batch (plus the last window's regions) on the backend.
 */
export class TubeBatcher {
  private pending: MiddleFrameSamples[] = [];
  private centres: number[] = [];
  private boxes: PixelBox[] = [];

  constructor(
    model: tf.LayersModel,
    private readonly log: RegionScoreLog,
    readonly batchSize: number,
    /** With a teacher, its features of each region's middle frame feed the distillation head's score. */
    private readonly teacher: ImageTeacher | null = null,
    /** Runs the model on each batch (default: `model` in TensorFlow.js; see onnx-region-forward.ts). */
    private readonly forward: RegionForward = tfjsRegionForward(model),
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`anomaly scoring: batchSize must be a whole number ≥ 1, got ${batchSize}`);
  }

  /** Regions waiting to be scored. */
  get waiting(): number {
    return this.centres.length;
  }

  /**
   * Takes ownership of `regions` (all centred on frame `centre`, cut from `boxes` in order); scores the batch
   * once it is full. Returns true if it scored.
   */
  async add(regions: MiddleFrameSamples, centre: number, boxes: readonly PixelBox[]): Promise<boolean> {
    const count = regions.input.shape[0];
    if (boxes.length !== count) {
      tf.dispose([regions.input, regions.target]);
      throw new Error(`anomaly scoring: ${count} regions cut from ${boxes.length} boxes`);
    }
    if (count === 0) {
      tf.dispose([regions.input, regions.target]);
      return false;
    }
    this.pending.push(regions);
    for (let i = 0; i < count; i++) this.centres.push(centre);
    this.boxes.push(...boxes);
    if (this.centres.length < this.batchSize) return false;
    await this.flush();
    return true;
  }

  /** Scores whatever waits. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const parts = this.pending;
    const centres = this.centres;
    const boxes = this.boxes;
    this.pending = [];
    this.centres = [];
    this.boxes = [];
    const made: tf.Tensor[] = [];
    try {
      const batch: MiddleFrameSamples =
        parts.length === 1 ? parts[0]! : { input: tf.concat<tf.Tensor5D>(parts.map((p) => p.input), 0), target: tf.concat<tf.Tensor4D>(parts.map((p) => p.target), 0) };
      made.push(batch.input, batch.target);
      const features = this.teacher === null ? null : teacherFeatures(this.teacher, batch.target);
      if (features) made.push(features);
      const named = taskScoresOf(await this.forward.scores(batch, features));
      this.log.add(centres, boxes, named.scores);
    } finally {
      tf.dispose([...parts.flatMap((p) => [p.input, p.target]), ...made]);
    }
  }

  /** Drops what waits without scoring it (cancel, error). */
  dispose(): void {
    tf.dispose(this.pending.flatMap((p) => [p.input, p.target]));
    this.pending = [];
    this.centres = [];
    this.boxes = [];
  }
}
