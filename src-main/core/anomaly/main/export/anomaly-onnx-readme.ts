import type { AnomalyModelMetadata } from './anomaly-model-metadata.js';

/** README.md of an ONNX anomaly model export: tubes in, heads and per-region scores out, the per-video steps. */
export function anomalyOnnxReadme(metadata: AnomalyModelMetadata): string {
  const { size, channels, longSide } = metadata.input;
  const teacher = metadata.teacher.dim > 0;
  return `# ${metadata.run.name}: anomaly detector (ONNX)

Exported by VSSL Studio ${metadata.app.version} on ${metadata.createdAt} from anomaly run ${metadata.run.id}
(self-supervised multi-task learning after SSMTL). \`model.onnx\` uses standard ONNX operators only (opset 17).

- **Input** \`tubes\`: float32 \`[batch, 7, ${size}, ${size}, ${channels}]\` (NTHWC), values 0..1 = uint8 / 255: per
  region, frames i−3..i+3 in playback order cropped to the region's box and resized to ${size}×${size}
  (${channels === 1 ? 'BT.601 luma of the RGB crop' : 'RGB'}). The app decodes frames with their longer side at most ${longSide} px and
  finds regions from motion against the video's background (a fixed grid when nothing moves).
- **Outputs** (per region): \`arrow_logits\` [batch, 2] (class 1 = played backwards), \`irregular_logits\`
  [batch, 2] (class 1 = irregular motion), \`middle_frame\` [batch, ${size}, ${size}, ${channels}] (the predicted middle
  frame)${teacher ? `, \`teacher_features\` [batch, ${metadata.teacher.dim}] (the distilled teacher's features)` : ''}, and the app's raw
  region scores: \`p_backward\`, \`p_irregular\` (softmax probability of class 1) and \`middle_frame_mae\`
  (mean |middle_frame − the tube's real middle frame|), each [batch].
${teacher ? `- The fourth score, the teacher gap, is mean |teacher_features − teacher(real middle frame)| with the image
  teacher the run distilled (\`${metadata.teacher.dir ?? 'its folder'}\`); the graph does not contain the teacher.\n` : ''}- Inference is deterministic; the encoder sees the 6 frames without the middle one, as in the app.

## From region scores to a video's frame scores (what the app does)

${metadata.scoring.perVideo}

## Run it in Python

\`\`\`python
import numpy as np, onnxruntime as ort

session = ort.InferenceSession("model.onnx")
tubes = np.zeros((4, 7, ${size}, ${size}, ${channels}), dtype=np.float32)  # your region tubes / 255
p_backward, p_irregular, error = session.run(["p_backward", "p_irregular", "middle_frame_mae"], {"tubes": tubes})
print(p_backward, p_irregular, error)
\`\`\`
`;
}
