import { z } from 'zod';
import { onnxGraphInfoSchema } from '../../../engine/onnx/onnx-metadata.js';

/**
 * metadata.json beside an exported anomaly model: how to cut region tubes the way the app does, what the
 * model gives, and how the app turns per-region scores into a video's frame scores.
 */
export const anomalyModelMetadataSchema = z.object({
  format: z.literal('vssl-anomaly-model'),
  formatVersion: z.literal(1),
  app: z.object({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  method: z.literal('ssmtl'),
  run: z.object({ id: z.number(), name: z.string(), epochs: z.number() }),
  model: z.object({ size: z.number(), channels: z.number(), width: z.number(), depth: z.number(), teacherDim: z.number() }),
  input: z.object({
    /** What the ONNX graph takes: whole 7-frame tubes; the TF.js model takes the 6 frames without the middle one. */
    tubeFrames: z.literal(7),
    size: z.number(),
    channels: z.number(),
    layout: z.literal('NTHWC'),
    dtype: z.literal('float32'),
    /** Pixel value = uint8 / 255; grey (1 channel) is BT.601 luma of the rgb crop. */
    scale: z.number(),
    colour: z.enum(['rgb', 'grey']),
    /** Frames decoded with their longer side at most this many pixels before regions are cut. */
    longSide: z.number(),
  }),
  /** The per-region scores (raw, higher = more anomalous) and how the app combines them per video. */
  scoring: z.object({
    regionScores: z.array(z.string()),
    perVideo: z.string(),
    /** Frames a second the model sees (0 = every frame); window stride and smoothing σ in seconds. */
    sampleFps: z.number(),
    strideSeconds: z.number(),
    sigmaSeconds: z.number(),
  }),
  teacher: z.object({ dim: z.number(), dir: z.string().nullable() }),
  metrics: z.object({
    loss: z.number().nullable(),
    arrowAccuracy: z.number().nullable(),
    irregularAccuracy: z.number().nullable(),
  }),
  backend: z.string().nullable(),
  customLayers: z.array(z.string()),
  files: z.object({ model: z.enum(['model.json', 'model.onnx']) }),
  onnx: onnxGraphInfoSchema.optional(),
});

export type AnomalyModelMetadata = z.infer<typeof anomalyModelMetadataSchema>;
