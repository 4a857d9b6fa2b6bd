// The one place bench names the app's built modules. Benchmarks run on the compiled app (out/main, or the
// build VSSL_BUILD points at) and import nothing of it but through `importBuild(NAME)`: when a module moves
// in src-main, its path changes here, once. `node bench/lib/build.mjs` lists every path and whether this
// build has it (the smoke run checks that first).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The build bench imports from: VSSL_BUILD (a snapshot of another commit's out/main) or this checkout's out/main. */
export const BUILD = path.resolve(process.env.VSSL_BUILD ?? path.join(ROOT, 'out', 'main'));

/** Every built module a benchmark imports, by the name benchmarks use, relative to BUILD. */
export const BUILD_MODULES = {
  // engine: backend choice, seeded randomness; classify (worker side): the sharded step and its gradient threads
  selectBackend: 'core/engine/worker/backend/select-backend.js',
  random: 'core/engine/random.js',
  shardedStep: 'core/classify/worker/parallel/sharded-step.js',
  gradientWorkers: 'core/classify/worker/parallel/gradient-workers.js',
  shardPlan: 'core/classify/worker/parallel/shard-plan.js',
  stepMemory: 'core/classify/worker/parallel/step-memory.js',
  stepMemoryProbe: 'core/classify/worker/parallel/step-memory-probe.js',
  // classify (worker side): model, step, optimizer, EMA, augmentation, model files
  buildModel: 'core/classify/worker/models/build-model.js',
  modelSpec: 'core/classify/worker/models/model-spec.js',
  flexmatchThresholds: 'core/classify/worker/methods/flexmatch-thresholds.js',
  extraHeads: 'core/classify/worker/models/extra-heads.js',
  fastBatchNorm: 'core/engine/worker/layers/fast-batch-norm.js',
  modelIo: 'core/engine/worker/model-io.js',
  clipTensor: 'core/classify/worker/data/clip-tensor.js',
  batchProbabilities: 'core/classify/worker/predict/batch-probabilities.js',
  // ONNX export (main side, no tfjs): the saved-model reader and the classifier graph
  kerasModelFiles: 'core/engine/onnx/keras-model-files.js',
  classifierOnnx: 'core/classify/main/classifier-onnx.js',
  trainStep: 'core/classify/worker/methods/train-step.js',
  svtLoss: 'core/classify/worker/methods/svt-loss.js',
  optimizer: 'core/classify/worker/methods/optimizer.js',
  emaWeights: 'core/classify/worker/methods/ema-weights.js',
  weakAugment: 'core/classify/worker/augment/weak.js',
  strongAugment: 'core/classify/worker/augment/strong.js',
  // anomaly (worker side): the model, scoring's forward passes, the training step split across threads
  anomalyModel: 'core/anomaly/worker/model/anomaly-model.js',
  anomalyModelIo: 'core/anomaly/worker/model/anomaly-model-io.js',
  anomalyTrainStep: 'core/anomaly/worker/model/anomaly-train-step.js',
  anomalyTaskSamples: 'core/anomaly/worker/tasks/task-samples.js',
  anomalyScoreVideo: 'core/anomaly/worker/score/score-video.js',
  anomalyRegionForward: 'core/anomaly/worker/score/forward/region-forward.js',
  anomalyOnnxForward: 'core/anomaly/worker/score/forward/onnx-region-forward.js',
  anomalyShardedStep: 'core/anomaly/worker/parallel/anomaly-sharded-step.js',
  anomalyGradientWorkers: 'core/anomaly/worker/parallel/anomaly-gradient-workers.js',
  // anomaly: evaluation (main side) and smoothing (worker side); the image teacher both pipelines use
  rocAuc: 'core/anomaly/main/evaluation/roc-auc.js',
  smooth: 'core/anomaly/worker/score/smooth.js',
  imageTeacher: 'core/teacher/worker/image-teacher.js',
  // anomaly (worker side): training tubes, the model, its step and task samples (bench/anomaly-arrow-heldout.mjs)
  normalTubes: 'core/anomaly/worker/train/normal-tubes.js',
  tubeAugment: 'core/anomaly/worker/train/tube-augment.js',
  tubeBatches: 'core/anomaly/worker/train/tube-batches.js',
  anomalyForward: 'core/anomaly/worker/model/anomaly-forward.js',
  taskSamples: 'core/anomaly/worker/tasks/task-samples.js',
  // the core as the CLI and server use it, media tools, the shared contract
  core: 'core/core.js',
  mediaTools: 'core/media/media-tools.js',
  sharedTraining: 'shared/training.js',
  sharedAnomaly: 'shared/anomaly.js',
  cliMain: 'cli/main.js',
};

/** The file of a built module; `name` is a key of BUILD_MODULES. */
export function buildFile(name) {
  const relative = BUILD_MODULES[name];
  if (relative === undefined) throw new Error(`bench: no built module called ${name} in bench/lib/build.mjs`);
  return path.join(BUILD, relative);
}

/** Imports a built module by its name in BUILD_MODULES; stops with a clear line when the build lacks it. */
export async function importBuild(name) {
  const file = buildFile(name);
  if (!fs.existsSync(file)) {
    console.error(`bench: ${file} is missing: run "npm run build:main" first, point VSSL_BUILD at a build, ` +
      `or update BUILD_MODULES.${name} in bench/lib/build.mjs if the module moved.`);
    process.exit(1);
  }
  return import(pathToFileURL(file).href);
}

/**
 * TensorFlow.js as the build resolves it, so a benchmark's tensors and the app's modules share one engine
 * (two copies of @tensorflow/tfjs would each keep their own backend and tensors).
 */
export function importTfjs() {
  const resolved = createRequire(path.join(BUILD, 'package.json')).resolve('@tensorflow/tfjs');
  return import(pathToFileURL(resolved).href);
}

/** Whether each module is in the build: `[{ name, path, present }]`. */
export function checkBuild() {
  return Object.entries(BUILD_MODULES).map(([name, relative]) => ({ name, path: relative, present: fs.existsSync(path.join(BUILD, relative)) }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const rows = checkBuild();
  const missing = rows.filter((r) => !r.present);
  console.log(JSON.stringify({ build: BUILD, modules: rows.length, missing: missing.map((r) => r.path), paths: rows.map((r) => r.path) }, null, 2));
  process.exit(missing.length === 0 ? 0 : 1);
}
