import type * as tf from '@tensorflow/tfjs';
import type { ImageTeacher } from '../../../teacher/worker/image-teacher.js';
import { cropHostTubes } from '../regions/host-tube-crop.js';
import type { PixelBox } from '../regions/pixel-box.js';
import type { TubeBoxes } from '../regions/tube-crop.js';
import type { RegionForward } from './forward/region-forward.js';
import type { RegionScoreLog } from './region-score-log.js';
import { hostBatchParts, RegionBatcher, TubeBatcher } from './tube-batcher.js';
import { WindowFrameTensors, type IndexedFrame } from './window-frame-tensors.js';

/** Cuts each window's tubes and scores them in batches, logging every region's scores. */
export interface WindowTubes {
  /** Where the tubes are cut: in host memory for an engine that takes host arrays, else on the backend. */
  readonly cutIn: 'host' | 'backend';
  /** Cuts the window's tubes (one per path) and queues them; scores a batch once it is full. True if it scored. */
  add(window: readonly IndexedFrame[], paths: readonly TubeBoxes[], centre: number, boxes: readonly PixelBox[]): Promise<boolean>;
  flush(): Promise<void>;
  /** Drops what waits and frees what is held. Safe to call more than once. */
  dispose(): void;
}

export interface WindowTubeOptions {
  model: tf.LayersModel;
  spec: { size: number; channels: number };
  /** The frames' size: every frame of a window is width × height rgb24. */
  width: number;
  height: number;
  log: RegionScoreLog;
  batchSize: number;
  teacher: ImageTeacher | null;
  /** Default: the model in TensorFlow.js. */
  forward?: RegionForward;
}

/**
 * A forward pass that takes host arrays (ONNX Runtime) gets tubes cut in JavaScript from the frames' bytes;
 * TensorFlow.js gets them cut on its backend from frames uploaded once each (WindowFrameTensors).
 */
export function windowTubes(options: WindowTubeOptions): WindowTubes {
  const { model, spec, width, height, log, batchSize, teacher, forward } = options;
  const hostScores = forward?.hostScores?.bind(forward);
  if (hostScores !== undefined) {
    const batcher = new RegionBatcher(log, batchSize, hostBatchParts(teacher, hostScores));
    return {
      cutIn: 'host',
      add: (window, paths, centre, boxes) =>
        batcher.add(cropHostTubes(window.map((frame) => frame.rgb), width, height, paths, spec.size, spec.channels), centre, boxes),
      flush: () => batcher.flush(),
      dispose: () => batcher.dispose(),
    };
  }
  const frames = new WindowFrameTensors(width, height);
  const batcher = new TubeBatcher(model, log, batchSize, teacher, forward);
  return {
    cutIn: 'backend',
    add: (window, paths, centre, boxes) => {
      frames.releaseBefore(window[0]?.index ?? 0);
      return batcher.add(frames.cropSamples(window, paths, spec.size, spec.channels), centre, boxes);
    },
    flush: () => batcher.flush(),
    dispose: () => {
      batcher.dispose();
      frames.dispose();
    },
  };
}
