import { z } from 'zod';
import { architectures, trainingMethods } from '../../../shared/training.js';
import { onnxGraphInfoSchema } from '../../engine/onnx/onnx-metadata.js';

/**
 * metadata.json beside an exported model: everything a program outside the app needs to feed
 * it clips the way training did, and to read its outputs.
 */
export const modelMetadataSchema = z.object({
  format: z.literal('vssl-video-classifier'),
  formatVersion: z.literal(1),
  app: z.object({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  run: z.object({ id: z.number(), name: z.string(), method: z.enum(trainingMethods), epochs: z.number() }),
  architecture: z.enum(architectures),
  classes: z.array(z.object({ index: z.number(), id: z.number(), name: z.string() })).min(2),
  input: z.object({
    frames: z.number().int().positive(),
    size: z.number().int().positive(),
    fps: z.number().positive().nullable(),
    layout: z.literal('NTHWC'),
    dtype: z.literal('float32'),
  }),
  preprocessing: z.object({
    /** Which frames of a clip: spread evenly over it, or at `input.fps` from its start. */
    frameSampling: z.enum(['even', 'fps']),
    resize: z.literal('short-side-resize-centre-crop'),
    colour: z.literal('rgb'),
    /** Pixel value = uint8 / 255. */
    scale: z.number(),
  }),
  /** TF.js: the model gives logits, apply softmax. ONNX: the graph ends in the softmax and gives probabilities. */
  output: z.union([
    z.object({ kind: z.literal('logits'), activation: z.literal('softmax') }),
    z.object({ kind: z.literal('probabilities'), name: z.string() }),
  ]),
  /** How the project cut videos into clips (what `vssl model predict` does by default). */
  clipping: z.object({ windowSec: z.number().positive(), strideSec: z.number().positive() }),
  metrics: z.object({
    validationAccuracy: z.number().nullable(),
    bestValidationAccuracy: z.number().nullable(),
    trainAccuracy: z.number().nullable(),
  }),
  backend: z.string().nullable(),
  /** Custom TF.js layer classes in model.json; a loader outside the app registers these. */
  customLayers: z.array(z.string()),
  files: z.object({ model: z.enum(['model.json', 'model.onnx']) }),
  /** Present for an ONNX export: how to feed and read the graph. */
  onnx: onnxGraphInfoSchema.optional(),
});

export type ModelMetadata = z.infer<typeof modelMetadataSchema>;
