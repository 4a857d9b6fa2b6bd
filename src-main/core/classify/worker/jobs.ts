/** The classifier's jobs as the engine's worker runs them. */
import { registerJob, type RegisteredJob } from '../../engine/worker/job-runner.js';
import { predictJob, trainJob } from '../jobs.js';
import { runPrediction } from './predict/run-prediction.js';
import { runTraining } from './train/run-training.js';

export const CLASSIFY_JOBS: readonly RegisteredJob[] = [registerJob(trainJob, runTraining), registerJob(predictJob, runPrediction)];
