import { z } from 'zod';
import { ONNX_OPSET } from './onnx-graph.js';

/** What an exported ONNX graph takes and gives; shapes list `batch` for the free batch dimension. */
export const onnxGraphInfoSchema = z.object({
  opset: z.literal(ONNX_OPSET),
  inputs: z.array(z.object({ name: z.string(), shape: z.array(z.union([z.number(), z.string()])), layout: z.string(), dtype: z.literal('float32') })),
  outputs: z.array(z.object({ name: z.string(), shape: z.array(z.union([z.number(), z.string()])) })),
  /** MC-dropout is left out of the graph: inference is deterministic (the app's prediction without MC passes). */
  mcDropout: z.literal('omitted'),
  note: z.string(),
});

export type OnnxGraphMetadata = z.infer<typeof onnxGraphInfoSchema>;
