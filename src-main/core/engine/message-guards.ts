/**
 * Shallow checks of what crosses the thread boundary: both ends are this app, so a message with an
 * unknown shape means a version mix-up or a bug, and is reported as such rather than acted on.
 */
import type { AnomalyScoreFromWorker } from '../anomaly/anomaly-score-job.js';
import type { AnomalyFromWorker } from '../anomaly/anomaly-train-job.js';
import type { FromWorker, ToWorker } from './job-messages.js';

const TO_WORKER_TYPES: ReadonlySet<string> = new Set<ToWorker['type']>(['train', 'predict', 'anomaly-train', 'anomaly-score', 'cancel']);
const FROM_WORKER_TYPES: ReadonlySet<string> = new Set<FromWorker['type']>([
  'started',
  'progress',
  'step',
  'epoch',
  'predictions',
  'anomaly-tubes',
  'anomaly-step',
  'anomaly-epoch',
  'anomaly-done',
  'anomaly-scores',
  'done',
  'cancelled',
  'error',
]);

const ANOMALY_TRAIN_TYPES: ReadonlySet<string> = new Set<AnomalyFromWorker['type']>([
  'started',
  'progress',
  'anomaly-tubes',
  'anomaly-step',
  'anomaly-epoch',
  'anomaly-done',
  'cancelled',
  'error',
]);
const ANOMALY_SCORE_TYPES: ReadonlySet<string> = new Set<AnomalyScoreFromWorker['type']>([
  'started',
  'progress',
  'anomaly-scores',
  'done',
  'cancelled',
  'error',
]);

function typeOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type : null;
}

function hasObject(value: unknown, key: string): boolean {
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'object' && field !== null;
}

export function isToWorker(value: unknown): value is ToWorker {
  const type = typeOf(value);
  if (type === null || !TO_WORKER_TYPES.has(type)) return false;
  return type === 'cancel' || hasObject(value, 'config');
}

export function isFromWorker(value: unknown): value is FromWorker {
  const type = typeOf(value);
  return type !== null && FROM_WORKER_TYPES.has(type);
}

/** A short description of an unexpected message for an error text. */
export function describeMessage(value: unknown): string {
  const type = typeOf(value);
  return type === null ? typeof value : `type "${type}"`;
}

/** Whether a message belongs to an anomaly training job. */
export function isAnomalyTrainMessage(message: FromWorker): message is AnomalyFromWorker {
  return ANOMALY_TRAIN_TYPES.has(message.type);
}

/** Whether a message belongs to an anomaly scoring job. */
export function isAnomalyScoreMessage(message: FromWorker): message is AnomalyScoreFromWorker {
  return ANOMALY_SCORE_TYPES.has(message.type);
}
