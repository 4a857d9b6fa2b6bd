/**
 * VideoSSL's targets: the image teacher's output on the middle frame of each clip of a step, as
 * probabilities (distillation.ts), computed on the training thread and sent with the step's shards.
 * The teacher sees the decoded frame before augmentation: what is in a frame does not change with a
 * small shift or a flip, and every shard of a step then distils the same targets.
 */
import * as tf from '@tensorflow/tfjs';
import { teacherFeatures, type ImageTeacher } from '../../../teacher/worker/image-teacher.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { teacherProbabilities } from '../methods/distillation.js';
import type { StepBytes, TeacherTargets } from './step-tensors.js';

/** The middle frame of each clip [T, S, S, 3] (uint8) as images [N, S, S, 3] in 0..1. */
function middleFrames(clips: readonly Uint8Array[], spec: ClipSpec): tf.Tensor4D {
  const frameBytes = spec.size * spec.size * 3;
  const middle = Math.floor(spec.frames / 2);
  const values = new Float32Array(clips.length * frameBytes);
  clips.forEach((clip, n) => {
    if (clip.length !== spec.frames * frameBytes) {
      throw new Error(`clip ${n} has ${clip.length} bytes; ${spec.frames}×${spec.size}×${spec.size}×3 needs ${spec.frames * frameBytes}`);
    }
    const frame = clip.subarray(middle * frameBytes, (middle + 1) * frameBytes);
    for (let i = 0; i < frameBytes; i++) values[n * frameBytes + i] = (frame[i] ?? 0) / 255;
  });
  return tf.tensor4d(values, [clips.length, spec.size, spec.size, 3]);
}

/** One probability row per clip (read asynchronously: a GPU backend has no synchronous read in Node). */
export async function teacherRows(teacher: ImageTeacher, clips: readonly Uint8Array[], spec: ClipSpec): Promise<Float32Array[]> {
  if (clips.length === 0) return [];
  const output = tf.tidy(() => teacherFeatures(teacher, middleFrames(clips, spec)));
  let values: Float32Array;
  try {
    values = teacherProbabilities((await output.data()) as Float32Array, teacher.dim);
  } finally {
    output.dispose();
  }
  return clips.map((_, n) => values.slice(n * teacher.dim, (n + 1) * teacher.dim));
}

export async function stepTeacherTargets(teacher: ImageTeacher, bytes: StepBytes, spec: ClipSpec): Promise<TeacherTargets> {
  return { labelled: await teacherRows(teacher, bytes.labelled, spec), unlabelled: await teacherRows(teacher, bytes.unlabelled, spec) };
}
