/** The anomaly detector's jobs as the engine's worker runs them. */
import { registerJob, type RegisteredJob } from '../../engine/worker/job-runner.js';
import { anomalyScoreJob, anomalyTrainJob } from '../jobs.js';
import { runAnomalyScoring } from './score/run-anomaly-scoring.js';
import { runAnomalyTraining } from './train/run-anomaly-training.js';

export const ANOMALY_JOBS: readonly RegisteredJob[] = [registerJob(anomalyTrainJob, runAnomalyTraining), registerJob(anomalyScoreJob, runAnomalyScoring)];
