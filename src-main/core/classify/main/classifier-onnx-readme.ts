import type { ModelMetadata } from './model-metadata.js';

/** README.md of an ONNX classifier export: what goes in, what comes out, and a Python example. */
export function classifierOnnxReadme(metadata: ModelMetadata): string {
  const { frames, size, fps } = metadata.input;
  const classes = metadata.classes.map((c) => c.name);
  const sampling =
    metadata.preprocessing.frameSampling === 'even'
      ? `${frames} frames spread evenly over the clip`
      : `${frames} frames at ${String(fps)} fps from the clip's start`;
  return `# ${metadata.run.name}: video classifier (ONNX)

Exported by VSSL Studio ${metadata.app.version} on ${metadata.createdAt} from run ${metadata.run.id}
(${metadata.architecture}, ${metadata.run.method}). \`model.onnx\` uses standard ONNX operators only (opset 17).

- **Input** \`clips\`: float32 \`[batch, ${frames}, ${size}, ${size}, 3]\` (NTHWC: clips, frames, height,
  width, RGB), values 0..1 = uint8 / 255. Per clip: ${sampling}; each frame scaled so its short side is
  ${size} px (ffmpeg \`flags=area\`, sample aspect ratio applied), then the centre ${size}×${size} crop.
  The graph transposes to NCHW itself.
- **Output** \`probabilities\`: float32 \`[batch, ${classes.length}]\`, softmax over the classes in this order:
  ${classes.map((name, i) => `${i} = ${name}`).join(', ')}.
- Inference is deterministic: MC-dropout (the app's uncertainty passes) is not in the graph, and
  training-only heads are left out. The probabilities match the app's prediction without MC-dropout.

\`metadata.json\` has the same facts as data (classes, input spec, preprocessing, metrics, clipping).

## Run it in Python

\`\`\`python
import json, numpy as np, onnxruntime as ort

meta = json.load(open("metadata.json"))
session = ort.InferenceSession("model.onnx")
clips = np.zeros((1, ${frames}, ${size}, ${size}, 3), dtype=np.float32)  # your decoded frames / 255
(probabilities,) = session.run(["probabilities"], {"clips": clips})
best = probabilities.argmax(axis=1)
print([meta["classes"][i]["name"] for i in best], probabilities.max(axis=1))
\`\`\`
`;
}
