#!/usr/bin/env node
/**
 * Anomaly scoring and training on every core (issue 22). OpenCV's pedestrian sample (vtest.avi, 768×576 at
 * 10 fps) is scaled to 1280×720 and frame-rate converted to 25 and 30 fps with ffmpeg's `framerate` filter
 * (blended in-between frames), and each is scored at default settings (scoreVideo: 320 px frames, ~10 fps
 * sampled by ffmpeg, windows 0.6 s apart, 32 regions a batch) with the default model (64×64×3 tubes, width 16,
 * depth 3; untrained: speed does not depend on the weights) three times: the forward pass in TensorFlow.js on
 * this backend (tubes cut on the backend), and in ONNX Runtime on every core (tubes cut in host memory), its
 * session in the scoring thread and on a thread of its own (the default). Prints × real time for each, and the forward pass alone (regions/s on batches of 32, and the
 * largest difference between the two engines' scores). Then it times SSMTL training steps at the default batch (16 tubes)
 * on 1 thread and split across 2 (the gradient threads), and the 30 epochs × 1,000 tubes that makes.
 *
 *   npm run build:main && node bench/anomaly-cores.mjs [--seconds 30] [--steps 6] [--footage vtest.avi] [--parts forward,scoring,training]
 * --smoke: 2 s of each video, a width-4 depth-1 model on 16×16 tubes, 2 steps; synthetic footage (ffmpeg's
 * testsrc2) when the OpenCV sample is not there.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importBuild, importTfjs } from './lib/build.mjs';
import { argsWithoutSmoke, findFfmpeg, report, round, SMOKE } from './lib/harness.mjs';

const OPENCV_SAMPLE = '/tmp/ocv/x/usr/share/doc/opencv-doc/examples/data/vtest.avi';
const { values } = parseArgs({
  args: argsWithoutSmoke(),
  options: {
    seconds: { type: 'string', default: SMOKE ? '2' : '30' },
    steps: { type: 'string', default: SMOKE ? '2' : '6' },
    footage: { type: 'string', default: OPENCV_SAMPLE },
    parts: { type: 'string', default: 'forward,scoring,training' },
  },
});
const seconds = Number(values.seconds);
const parts = new Set(values.parts.split(','));
const steps = Number(values.steps);
const spec = SMOKE ? { size: 16, channels: 3, width: 4, depth: 1, teacherDim: 0 } : { size: 64, channels: 3, width: 16, depth: 3, teacherDim: 0 };
const BATCH = 16;

const tf = await importTfjs();
const { selectBackend } = await importBuild('selectBackend');
const { buildAnomalyModel } = await importBuild('anomalyModel');
const { saveAnomalyModel } = await importBuild('anomalyModelIo');
const { scoreVideo } = await importBuild('anomalyScoreVideo');
const { tfjsRegionForward } = await importBuild('anomalyRegionForward');
const { onnxRegionForward } = await importBuild('anomalyOnnxForward');
const { createAnomalyOptimizer } = await importBuild('anomalyTrainStep');
const { buildTaskSamples, disposeTaskSamples, taskSourceFrames } = await importBuild('anomalyTaskSamples');
const { anomalyShardedStep } = await importBuild('anomalyShardedStep');
const { AnomalyGradientWorkers } = await importBuild('anomalyGradientWorkers');
const { Rng } = await importBuild('random');
const { resolveMediaTools } = await importBuild('mediaTools');

const backend = await selectBackend(process.env);
const ffmpeg = await findFfmpeg();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-bench-anomaly-cores-'));

/** `seconds` of the footage at 1280×720 and `fps` (synthetic test pattern when the sample is missing). */
function footage(fps) {
  const file = path.join(dir, `footage-${fps}fps.mp4`);
  const real = fs.existsSync(values.footage);
  const input = real ? ['-stream_loop', '-1', '-i', values.footage] : ['-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=${fps}`];
  const filter = real ? `scale=1280:720,framerate=fps=${fps}` : 'null';
  const args = ['-v', 'error', '-y', ...input, '-t', String(seconds), '-vf', filter, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', file];
  const made = spawnSync(ffmpeg, args, { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`bench: ffmpeg failed: ${made.stderr}`);
  return { file, source: real ? `${path.basename(values.footage)} scaled to 1280×720, framerate=fps=${fps}` : `synthetic testsrc2 1280×720 at ${fps} fps` };
}

const model = buildAnomalyModel(spec, { seed: 1 });
const modelDir = path.join(dir, 'model');
await saveAnomalyModel(model, modelDir);
const tools = resolveMediaTools();
const onnx = await onnxRegionForward(modelDir, { ownThread: false });
const onnxOwnThread = await onnxRegionForward(modelDir);
if (!('forward' in onnx)) throw new Error(`bench: ${onnx.unavailable}`);
if (!('forward' in onnxOwnThread)) throw new Error(`bench: ${onnxOwnThread.unavailable}`);
const forwards = { tfjs: tfjsRegionForward(model), onnxruntime: onnx.forward, 'onnxruntime-own-thread': onnxOwnThread.forward };

/** The forward pass alone on 32 regions, each engine timed over `steps` batches after a warm-up; and how far their scores are apart. */
async function forwardOnly() {
  const tubes = tf.randomUniform([32, 7, spec.size, spec.size, spec.channels], 0, 1, 'float32', 5);
  const { middleFrameSamples } = await importBuild('anomalyTaskSamples');
  const batch = middleFrameSamples(tubes);
  tubes.dispose();
  const out = {};
  const scores = {};
  try {
    for (const [engine, forward] of Object.entries(forwards)) {
      scores[engine] = await forward.scores(batch, null);
      const began = performance.now();
      for (let i = 0; i < steps; i++) await forward.scores(batch, null);
      out[engine] = round((32 * steps) / ((performance.now() - began) / 1000));
    }
  } finally {
    tf.dispose([batch.input, batch.target]);
  }
  let largestDifference = 0;
  for (const task of ['middleFrameError', 'backward', 'irregular']) {
    scores.tfjs[task].forEach((v, i) => (largestDifference = Math.max(largestDifference, Math.abs(v - scores.onnxruntime[task][i]))));
  }
  return { regionsPerSecond: out, largestDifference };
}
const forward = parts.has('forward') ? await forwardOnly() : null;

const scoring = [];
for (const fps of parts.has('scoring') ? [25, 30] : []) {
  const video = footage(fps);
  for (const [engine, forward] of Object.entries(forwards)) {
    const result = await scoreVideo(video.file, model, { tools, forward });
    const duration = result.frameCount / fps;
    scoring.push({
      fps,
      footage: video.source,
      engine,
      frames: result.frameCount,
      regions: result.regionsScored,
      seconds: round(result.seconds),
      realTime: round(duration / result.seconds),
      regionsPerSecond: round(result.regionsScored / result.seconds),
    });
  }
}
await onnx.forward.dispose();
await onnxOwnThread.forward.dispose();

/** Seconds per training step at BATCH tubes on `threads` threads (the first step is a warm-up). */
async function secondsPerStep(threads) {
  const rng = new Rng(3);
  const trained = buildAnomalyModel(spec, { seed: 2 });
  const optimizer = createAnomalyOptimizer();
  const workers = threads > 1 ? await AnomalyGradientWorkers.start(threads - 1, { spec, backend: backend.name }) : null;
  let began = 0;
  try {
    for (let step = 0; step <= steps; step++) {
      if (step === 1) began = performance.now();
      const source = tf.randomUniform([BATCH, taskSourceFrames(), spec.size, spec.size, spec.channels], 0, 1, 'float32', step);
      const samples = buildTaskSamples(source, rng);
      source.dispose();
      try {
        await anomalyShardedStep({ model: trained, optimizer, samples, workers, shards: threads });
      } finally {
        disposeTaskSamples(samples);
      }
    }
  } finally {
    await workers?.close();
    optimizer.dispose();
    trained.dispose();
  }
  return (performance.now() - began) / 1000 / steps;
}

const training = [];
for (const threads of parts.has('training') ? [1, 2] : []) {
  const perStep = await secondsPerStep(threads);
  // 1,000 tubes are 63 steps of 16; 30 epochs of them.
  training.push({ threads, secondsPerStep: round(perStep), tubesPerSecond: round(BATCH / perStep), minutesFor30EpochsOf1000Tubes: round((30 * Math.ceil(1000 / BATCH) * perStep) / 60) });
}

model.dispose();
fs.rmSync(dir, { recursive: true, force: true });
report({ benchmark: 'anomaly-cores', spec, batch: BATCH, seconds, steps, forward, scoring, training }, { backend });
