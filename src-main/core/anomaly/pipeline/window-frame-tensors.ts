import * as tf from '@tensorflow/tfjs';
import type { PixelBox } from '../regions/pixel-box.js';
import { cropTubesFromImages } from '../regions/tube-crop.js';

/** A decoded frame as the scorer sees it: its index in the video and its rgb24 bytes. */
export interface IndexedFrame {
  index: number;
  rgb: Uint8Array;
}

/**
 * The frames of the sliding window on the backend, one [1, H, W, 3] tensor per frame: overlapping windows
 * share frames, so each frame is uploaded once however many windows it is in, and crops are cut from the
 * frames in place (no per-window stack of full frames). Frames are released as the window moves past them.
 */
export class WindowFrameTensors {
  private readonly frames = new Map<number, tf.Tensor4D>();

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  /** Frames held on the backend now (at most one window's worth while the caller releases as it goes). */
  get size(): number {
    return this.frames.size;
  }

  /**
   * Tubes [N, L, S, S, C] (float32, 0..1) of every box over the window's frames, in frame order; C = 1
   * gives luma (BT.601), C = 3 rgb. The caller disposes the result.
   */
  crop(window: readonly IndexedFrame[], boxes: readonly PixelBox[], size: number, channels: number): tf.Tensor5D {
    if (channels !== 1 && channels !== 3) throw new Error(`tube crop: the model takes ${channels} channels per frame; only 1 (grey) or 3 (rgb) can be cut`);
    const images = window.map((frame) => this.upload(frame));
    return tf.tidy(() => {
      // Each frame cut on its own: [N, 1, S, S, 3] per frame, joined along time.
      const perFrame = images.map((image) => cropTubesFromImages(image, boxes, size));
      const tubes = perFrame.length === 1 ? perFrame[0]! : tf.concat<tf.Tensor5D>(perFrame, 1);
      if (channels === 3) return tubes;
      const luma = tf.tensor1d([0.299, 0.587, 0.114]);
      return tf.sum(tf.mul(tubes, luma), -1, true);
    });
  }

  /** Disposes the frames before `index` (no later window needs them). */
  releaseBefore(index: number): void {
    for (const [frame, tensor] of this.frames) {
      if (frame < index) {
        tensor.dispose();
        this.frames.delete(frame);
      }
    }
  }

  /** Disposes every frame held. Safe to call more than once. */
  dispose(): void {
    for (const tensor of this.frames.values()) tensor.dispose();
    this.frames.clear();
  }

  private upload(frame: IndexedFrame): tf.Tensor4D {
    const held = this.frames.get(frame.index);
    if (held) return held;
    const bytes = this.width * this.height * 3;
    if (frame.rgb.length !== bytes) {
      throw new Error(`tube crop: frame ${frame.index} has ${frame.rgb.length} bytes, ${this.width}×${this.height} rgb24 needs ${bytes}`);
    }
    // float32 straight from the bytes: V8 converts Uint8Array → Float32Array fast and cropAndResize needs no cast.
    const tensor = tf.tensor4d(new Float32Array(frame.rgb), [1, this.height, this.width, 3]);
    this.frames.set(frame.index, tensor);
    return tensor;
  }
}
