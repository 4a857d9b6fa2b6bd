import type { RunDto } from '../../shared/run-dto.js';
import type {
  AcquisitionStrategy,
  ReviewDecision,
  ReviewFilter,
  ReviewItem,
  ReviewQueuePage,
} from '../../shared/review.js';
import { fromBlob } from '../classify/main/prediction-repository.js';
import { acquisitionScore, compareScored, isSetStrategy, UNSCORED, type ClipStrategy } from './acquisition.js';
import { badgeOrder } from './badge.js';
import { decisionInPlace, probsOf, PROTECTED_SOURCES, type CandidateRow, type ReviewStore } from './review-store.js';

const ALL_CLIPS: ReviewFilter = { minConfidence: 0, maxConfidence: 1, includeReviewed: true };

export interface QueueEntry {
  row: CandidateRow;
  clipId: number;
  score: number;
  decision: ReviewDecision | null;
  rejectedClassIds: number[];
}

export interface OrderedQueue {
  /** In queue order, decided clips included. */
  entries: QueueEntry[];
  /** Predicted clips left out because a person (or an import) labelled them. */
  humanLabelled: number;
}

/** Every predicted clip of the run that review may touch, filtered, scored and in queue order. */
export function orderedQueue(
  store: ReviewStore,
  runId: number,
  strategy: AcquisitionStrategy,
  filter: ReviewFilter,
  seed: number,
): OrderedQueue {
  const decisions = store.latestDecisions(runId);
  const negatives = store.negatives(runId);
  let humanLabelled = 0;
  const entries: QueueEntry[] = [];
  // Clips named one by one (a confusion-matrix cell of validation clips, labelled by people) are shown
  // labelled or not: seeing them is the point. Review still never changes a person's label.
  const named = filter.clipIds !== undefined;
  for (const row of store.candidates(runId, filter)) {
    if (!named && row.label_source !== null && PROTECTED_SOURCES.includes(row.label_source)) {
      humanLabelled++;
      continue;
    }
    const rejectedClassIds = negatives.get(row.clip_id) ?? [];
    entries.push({
      row,
      clipId: row.clip_id,
      score: isSetStrategy(strategy) ? UNSCORED : scoreOf(strategy, row, seed),
      decision: decisionInPlace(decisions.get(row.clip_id), row, rejectedClassIds),
      rejectedClassIds,
    });
  }
  if (strategy === 'badge') scoreByBadge(entries, seed);
  entries.sort(compareScored);
  return { entries, humanLabelled };
}

export interface QueuePageRequest {
  strategy: AcquisitionStrategy;
  filter: ReviewFilter;
  seed: number;
  offset: number;
  limit: number;
  focusClipId?: number;
}

export function queuePage(store: ReviewStore, run: RunDto, request: QueuePageRequest): ReviewQueuePage {
  const { entries: all, humanLabelled } = orderedQueue(store, run.id, request.strategy, request.filter, request.seed);
  const entries = request.filter.includeReviewed ? all : all.filter((e) => e.decision === null);
  const focus = request.focusClipId === undefined ? -1 : entries.findIndex((e) => e.clipId === request.focusClipId);
  const offset = focus >= 0 ? focus : request.offset;
  return {
    runId: run.id,
    strategy: request.strategy,
    total: entries.length,
    pending: entries.filter((e) => e.decision === null).length,
    offset,
    items: entries.slice(offset, offset + request.limit).map((e) => toItem(run, e)),
    humanLabelled,
  };
}

/** One predicted clip as the queue shows it (also for clips a person labelled, e.g. after a conflict). */
export function reviewItem(
  store: ReviewStore,
  run: RunDto,
  clipId: number,
  strategy: AcquisitionStrategy,
  seed: number,
): ReviewItem | null {
  const row = store.candidate(run.id, clipId);
  if (!row) return null;
  const rejectedClassIds = store.negatives(run.id, clipId).get(clipId) ?? [];
  const decision = decisionInPlace(store.latestDecisions(run.id, clipId).get(clipId), row, rejectedClassIds);
  // A set strategy's score is the clip's place among all the run's clips (unfiltered).
  const score = isSetStrategy(strategy)
    ? (orderedQueue(store, run.id, strategy, ALL_CLIPS, seed).entries.find((e) => e.clipId === clipId)?.score ?? UNSCORED)
    : scoreOf(strategy, row, seed);
  return toItem(run, { row, clipId, score, decision, rejectedClassIds });
}

/**
 * BADGE scores by place in its order, 1 for the first pick down towards 0, so that higher still comes first.
 * The whole queue, decided clips included, is ordered: a decision does not reshuffle what is still to come.
 * Clips predicted without features (imported runs, older predictions) get UNSCORED and go last.
 */
function scoreByBadge(entries: QueueEntry[], seed: number): void {
  const withFeatures = entries.filter((e) => e.row.features !== null);
  const order = badgeOrder(
    withFeatures.map((e) => ({ clipId: e.clipId, probs: probsOf(e.row), features: e.row.features === null ? [] : fromBlob(e.row.features) })),
    seed,
  );
  const rank = new Map(order.map((clipId, i) => [clipId, i]));
  for (const entry of withFeatures) entry.score = 1 - (rank.get(entry.clipId) ?? order.length) / order.length;
}

function scoreOf(strategy: ClipStrategy, row: CandidateRow, seed: number): number {
  return acquisitionScore(
    strategy,
    {
      clipId: row.clip_id,
      confidence: row.confidence,
      margin: row.margin,
      entropy: row.entropy,
      uncertainty: row.uncertainty,
      mutualInfo: row.mutual_info,
    },
    seed,
  );
}

function toItem(run: RunDto, entry: QueueEntry): ReviewItem {
  const { row } = entry;
  const probs = probsOf(row);
  return {
    clipId: row.clip_id,
    videoId: row.video_id,
    videoName: row.video_name,
    startFrame: row.start_frame,
    endFrame: row.end_frame,
    startSec: row.start_sec,
    endSec: row.end_sec,
    predictedClassId: row.class_id,
    confidence: row.confidence,
    margin: row.margin,
    entropy: row.entropy,
    uncertainty: row.uncertainty,
    mutualInfo: row.mutual_info,
    score: entry.score,
    probs: run.classes.map((cls, i) => ({ classId: cls.id, p: probs[i] ?? 0 })),
    decision: entry.decision,
    labelClassId: row.label_class_id,
    rejectedClassIds: entry.rejectedClassIds,
  };
}
