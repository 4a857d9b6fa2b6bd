/**
 * The anomaly scoring job: loads the run's model once, scores the videos one after another (each
 * streamed, so memory stays bounded), and posts each video's curves as soon as they are done. Cancel
 * stops ffmpeg at once; a video that cannot be decoded ends the job with its path and the reason,
 * after the videos before it were posted.
 */
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { runSinglePassJob } from '../../../engine/worker/single-pass-job.js';
import { loadAnomalyModel } from '../model/anomaly-model-io.js';
import { scoreVideo, type ScoreVideoOptions } from './score-video.js';
import { chooseRegionForward } from './forward/choose-region-forward.js';
import type { RegionForward } from './forward/region-forward.js';
import { loadRunTeacher, type ImageTeacher } from '../../../teacher/worker/image-teacher.js';
import type { JobHost } from '../../../engine/job.js';
import type { AnomalyScoreConfig, AnomalyScoreMessage } from '../../jobs.js';

type AnomalyScoreHost = JobHost<AnomalyScoreMessage>;

function checkConfig(config: AnomalyScoreConfig): void {
  if (config.videos.length === 0) throw new Error('Anomaly scoring: there are no videos to score.');
}

/** The reason with the file it concerns (media failures usually name it already). */
function videoFailure(file: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(reason.includes(file) ? reason : `${file}: ${reason}`);
}

/** The job's options as scoreVideo takes them: a frame override only when one was asked for. */
function scoreVideoOptionsOf(options: AnomalyScoreConfig['options']): ScoreVideoOptions {
  return {
    strideSeconds: options.strideSeconds,
    sigmaSeconds: options.sigmaSeconds,
    sampleFps: options.sampleFps,
    longSide: options.longSide,
    ...(options.followObjects ? {} : { regions: { follow: false } }),
    ...(options.stride !== undefined ? { stride: options.stride } : {}),
    ...(options.sigma !== undefined ? { sigma: options.sigma } : {}),
  };
}

async function scoreAll(config: AnomalyScoreConfig, model: tf.LayersModel, forward: RegionForward, teacher: ImageTeacher | null, host: AnomalyScoreHost): Promise<boolean> {
  const total = config.videos.length;
  for (const [i, video] of config.videos.entries()) {
    if (host.cancelled()) return false;
    const name = path.basename(video.path);
    let result;
    try {
      result = await scoreVideo(
        video.path,
        model,
        { ...scoreVideoOptionsOf(config.options), tools: config.tools, teacher, forward },
        {
          signal: host.signal,
          onProgress: (frames, expected) => {
            const share = expected !== null && expected > 0 ? Math.min(1, frames / expected) : 0;
            host.post({
              type: 'progress',
              phase: 'score',
              done: i + share,
              total,
              message: `Scoring video ${i + 1} of ${total} (${name}): frame ${frames}${expected === null ? '' : ` of ${expected}`}`,
            });
          },
        },
      );
    } catch (error) {
      if (host.cancelled()) throw error;
      throw videoFailure(video.path, error);
    }
    host.post({ type: 'scores', videoId: video.videoId, result });
  }
  return true;
}

/** Scores every video of `config`; ends by posting 'done' or 'cancelled', throws on failure. */
export async function runAnomalyScoring(config: AnomalyScoreConfig, host: AnomalyScoreHost): Promise<void> {
  checkConfig(config);
  await runSinglePassJob(config, host, async (backend) => {
    const { model } = await loadAnomalyModel(config.modelDir);
    let teacher: ImageTeacher | null = null;
    let forward: RegionForward | null = null;
    try {
      // A run that distilled a teacher keeps a copy beside its model: its gap is the fourth task.
      teacher = await loadRunTeacher(config.modelDir);
      const chosen = await chooseRegionForward(model, config.modelDir, backend);
      forward = chosen.forward;
      host.post({ type: 'progress', phase: 'score', done: 0, total: config.videos.length, message: chosen.note });
      return await scoreAll(config, model, forward, teacher, host);
    } finally {
      await forward?.dispose();
      model.dispose();
      teacher?.model.dispose();
    }
  });
}
