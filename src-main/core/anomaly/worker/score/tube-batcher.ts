import * as tf from '@tensorflow/tfjs';
import { taskScoresOf, type RegionScores } from '../model/anomaly-region-scores.js';
import type { PixelBox } from '../regions/pixel-box.js';
import type { MiddleFrameSamples } from '../tasks/task-samples.js';
import { teacherFeatures, type ImageTeacher } from '../../../teacher/worker/image-teacher.js';
import type { RegionScoreLog } from './region-score-log.js';
import { joinHostTubes, middleFrames, type HostTubes } from '../regions/host-tube-crop.js';
import { tfjsRegionForward, type RegionForward } from './forward/region-forward.js';

/** What a batcher holds of each window's regions, and how it scores a batch of them. */
export interface BatchParts<P> {
  rows(part: P): number;
  /** Scores the parts' regions in order, in one forward pass. */
  score(parts: readonly P[]): Promise<RegionScores>;
  /** Frees what the parts hold (a no-op for host arrays). */
  release(parts: readonly P[]): void;
}

/**
 * Collects the regions of consecutive windows until a batch is full, then sends them to be scored in one
 * forward pass and logs the numbers when they come. One batch is scored while the next is collected (the
 * forward pass may run on another thread: see onnx-runner.ts); scores are logged in the order cut.
 */
export class RegionBatcher<P> {
  private pending: P[] = [];
  private centres: number[] = [];
  private boxes: PixelBox[] = [];
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly log: RegionScoreLog,
    readonly batchSize: number,
    private readonly parts: BatchParts<P>,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`anomaly scoring: batchSize must be a whole number ≥ 1, got ${batchSize}`);
  }

  /** Regions waiting to be sent for scoring. */
  get waiting(): number {
    return this.centres.length;
  }

  /**
   * Takes ownership of `regions` (all centred on frame `centre`, cut from `boxes` in order); once the batch
   * is full, waits for the batch before it and sends this one. Returns true if it sent a batch.
   */
  async add(regions: P, centre: number, boxes: readonly PixelBox[]): Promise<boolean> {
    const count = this.parts.rows(regions);
    if (boxes.length !== count) {
      this.parts.release([regions]);
      throw new Error(`anomaly scoring: ${count} regions cut from ${boxes.length} boxes`);
    }
    if (count === 0) {
      this.parts.release([regions]);
      return false;
    }
    this.pending.push(regions);
    for (let i = 0; i < count; i++) this.centres.push(centre);
    this.boxes.push(...boxes);
    if (this.centres.length < this.batchSize) return false;
    await this.send();
    return true;
  }

  /** Scores whatever waits and whatever is in flight; every region added is logged when it resolves. */
  async flush(): Promise<void> {
    if (this.pending.length > 0) await this.send();
    await this.settle();
  }

  /** Drops what waits without scoring it (cancel, error); a batch in flight frees its parts when it ends. */
  dispose(): void {
    this.parts.release(this.pending);
    this.pending = [];
    this.centres = [];
    this.boxes = [];
  }

  private async send(): Promise<void> {
    await this.settle();
    const parts = this.pending;
    const centres = this.centres;
    const boxes = this.boxes;
    this.pending = [];
    this.centres = [];
    this.boxes = [];
    const scoring = (async () => {
      try {
        this.log.add(centres, boxes, taskScoresOf(await this.parts.score(parts)).scores);
      } finally {
        this.parts.release(parts);
      }
    })();
    // A failure surfaces at the next add or flush; until then it must not count as unhandled.
    scoring.catch(() => undefined);
    this.inFlight = scoring;
  }

  private async settle(): Promise<void> {
    const inFlight = this.inFlight;
    this.inFlight = null;
    if (inFlight !== null) await inFlight;
  }
}

/** Regions cut on the backend (WindowFrameTensors.cropSamples), scored by `forward` (default: `model` in TensorFlow.js). */
export function tensorBatchParts(model: tf.LayersModel, teacher: ImageTeacher | null, forward: RegionForward = tfjsRegionForward(model)): BatchParts<MiddleFrameSamples> {
  return {
    rows: (part) => part.input.shape[0],
    score: async (parts) => {
      const made: tf.Tensor[] = [];
      try {
        const batch: MiddleFrameSamples =
          parts.length === 1 ? parts[0]! : { input: tf.concat<tf.Tensor5D>(parts.map((p) => p.input), 0), target: tf.concat<tf.Tensor4D>(parts.map((p) => p.target), 0) };
        if (parts.length > 1) made.push(batch.input, batch.target);
        const features = teacher === null ? null : teacherFeatures(teacher, batch.target);
        if (features) made.push(features);
        return await forward.scores(batch, features);
      } finally {
        tf.dispose(made);
      }
    },
    release: (parts) => tf.dispose(parts.flatMap((p) => [p.input, p.target])),
  };
}

/** Regions cut in host memory (cropHostTubes), for a forward pass that takes host arrays (ONNX Runtime). */
export function hostBatchParts(teacher: ImageTeacher | null, hostScores: NonNullable<RegionForward['hostScores']>): BatchParts<HostTubes> {
  return {
    rows: (part) => part.regions,
    score: async (parts) => {
      const tubes = joinHostTubes(parts);
      if (teacher === null) return hostScores(tubes, null);
      const features = tf.tidy(() => {
        const middle = tf.tensor4d(middleFrames(tubes), [tubes.regions, tubes.size, tubes.size, tubes.channels]);
        return teacherFeatures(teacher, middle);
      });
      try {
        return await hostScores(tubes, features);
      } finally {
        features.dispose();
      }
    },
    release: () => undefined,
  };
}

/** The batcher of regions cut on the backend, scored by the model (or `forward`). */
export class TubeBatcher extends RegionBatcher<MiddleFrameSamples> {
  constructor(model: tf.LayersModel, log: RegionScoreLog, batchSize: number, teacher: ImageTeacher | null = null, forward?: RegionForward) {
    super(log, batchSize, tensorBatchParts(model, teacher, forward));
  }
}
