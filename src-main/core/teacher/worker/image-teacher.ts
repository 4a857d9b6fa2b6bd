/**
 * A person's own image model as the SSMTL teacher: any TF.js layers model that takes images
 * [N, H, W, 1 or 3] (float, 0..1) and gives one output per image. Its output for a region's middle
 * frame is what the student's distillation head learns to predict on normal footage; on anomalies
 * the two part ways, and that gap is the fourth task's score.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../shared/errors.js';
import { MODEL_JSON } from '../../engine/model-files.js';
import { loadModel } from '../../engine/worker/model-io.js';

export interface ImageTeacher {
  model: tf.LayersModel;
  /** The side lengths its input takes. */
  height: number;
  width: number;
  channels: 1 | 3;
  /** Length of one image's (flattened) output: the distillation head's width. */
  dim: number;
  dir: string;
}

/** The folder a run keeps its own copy of the teacher in (inside the run's model folder). */
export const TEACHER_SUBDIR = 'teacher';

function invalid(dir: string, why: string): ApiError {
  return new ApiError('INVALID_PARAMS', `The teacher at ${dir} cannot be used: ${why}`);
}

/** Loads and checks a teacher; a folder without a usable image model gets an error that says what is wrong. */
export async function loadImageTeacher(dir: string): Promise<ImageTeacher> {
  let model: tf.LayersModel;
  try {
    model = await loadModel(dir);
  } catch (error) {
    throw invalid(dir, `${(error as Error).message}. A teacher is a folder with a TF.js layers model (${MODEL_JSON} + weights).`);
  }
  try {
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw invalid(dir, `it has ${model.inputs.length} inputs and ${model.outputs.length} outputs; a teacher has one of each.`);
    }
    const shape = model.inputs[0]!.shape;
    const [, height, width, channels] = shape;
    if (shape.length !== 4 || typeof height !== 'number' || typeof width !== 'number' || (channels !== 1 && channels !== 3)) {
      throw invalid(dir, `its input is [${shape.map((d) => d ?? 'N').join(', ')}]; a teacher takes images [N, height, width, 1 or 3].`);
    }
    const outputShape = model.outputs[0]!.shape.slice(1);
    const dim = outputShape.reduce<number>((product, d) => product * (d ?? NaN), 1);
    if (!Number.isInteger(dim) || dim < 1) {
      throw invalid(dir, `its output [${model.outputs[0]!.shape.map((d) => d ?? 'N').join(', ')}] has no fixed size.`);
    }
    return { model, height, width, channels, dim, dir };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** The teacher's output for each frame [N, S, S, C] (float 0..1), flattened to [N, dim]. */
export function teacherFeatures(teacher: ImageTeacher, frames: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const channels = frames.shape[3];
    let images: tf.Tensor4D = frames;
    if (channels !== teacher.channels) {
      images = teacher.channels === 1 ? tf.mean<tf.Tensor4D>(frames, 3, true) : tf.tile(frames, [1, 1, 1, 3]);
    }
    if (images.shape[1] !== teacher.height || images.shape[2] !== teacher.width) {
      images = tf.image.resizeBilinear(images, [teacher.height, teacher.width]);
    }
    const output = teacher.model.predict(images) as tf.Tensor;
    return output.reshape<tf.Tensor2D>([frames.shape[0], teacher.dim]);
  });
}

/** Copies the teacher's files into `runModelDir/teacher`, so the run scores with the teacher it trained with. */
export async function keepTeacherWithModel(teacherDir: string, runModelDir: string): Promise<void> {
  const target = path.join(runModelDir, TEACHER_SUBDIR);
  await fs.mkdir(target, { recursive: true });
  const manifest = JSON.parse(await fs.readFile(path.join(teacherDir, MODEL_JSON), 'utf8')) as { weightsManifest?: { paths: string[] }[] };
  const files = [MODEL_JSON, ...(manifest.weightsManifest ?? []).flatMap((group) => group.paths)];
  for (const file of new Set(files)) {
    const from = path.resolve(teacherDir, file);
    if (path.relative(teacherDir, from).startsWith('..')) throw invalid(teacherDir, `its weights path ${file} leaves the folder.`);
    const to = path.join(target, path.relative(teacherDir, from));
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.copyFile(from, to);
  }
}

/** The teacher a run trained with, or null when it had none. */
export async function loadRunTeacher(runModelDir: string): Promise<ImageTeacher | null> {
  const dir = path.join(runModelDir, TEACHER_SUBDIR);
  try {
    await fs.access(path.join(dir, MODEL_JSON));
  } catch {
    return null;
  }
  return loadImageTeacher(dir);
}
