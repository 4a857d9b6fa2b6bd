import { ClipCache } from '../../clips/clip-cache.js';
import type { ClipSpec } from '../../clips/clip-spec.js';
import { inputShapeOf } from '../models/build-model.js';
import { loadModel } from '../../../engine/worker/model-io.js';
import { Rng } from '../../../engine/random.js';
import type { PredictConfig, PredictHost } from '../../jobs.js';
import { runSinglePassJob } from '../../../engine/worker/single-pass-job.js';
import { decodablePredictionClips, predictClips } from './predict-clips.js';

/**
 * Predicts clips with a saved model (eval probabilities and MC-dropout mean/std), posting rows in
 * chunks. Ends by posting 'done' or 'cancelled'; throws on failure.
 */
export async function runPrediction(config: PredictConfig, host: PredictHost): Promise<void> {
  await runSinglePassJob(config, host, async () => {
    const model = await loadModel(config.modelDir);
    try {
      const shape = inputShapeOf(model);
      if (shape.frames !== config.spec.frames || shape.size !== config.spec.size) {
        throw new Error(
          `The model in ${config.modelDir} takes ${shape.frames}×${shape.size}×${shape.size} clips, not ${config.spec.frames}×${config.spec.size}×${config.spec.size}.`,
        );
      }
      const spec: ClipSpec = { frames: config.spec.frames, size: config.spec.size, fps: config.spec.fps };
      const cache = new ClipCache(config.clipCacheDir, spec, config.tools);
      const clips = await decodablePredictionClips(cache, config.clips, host);
      return await predictClips(model, clips, cache, { spec, mcPasses: config.mcPasses, rng: new Rng(config.seed) }, host);
    } finally {
      model.dispose();
    }
  });
}
