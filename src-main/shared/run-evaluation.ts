/** Per-class evaluation of a classification run on its validation split: what the UI and the CLI show. */
import type { RunClass } from './run-dto.js';

/** Precision, recall and F1 of one class, or an average of them; null where undefined (nothing to divide by). */
export interface Scores {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface ClassScores extends Scores {
  classId: number;
  name: string;
  /** Validation clips whose true class this is. */
  support: number;
  /** Validation clips predicted as this class. */
  predicted: number;
}

export interface ConfusionMetrics {
  /** Counts: row = true class, column = predicted class, both in the run's class order. */
  matrix: number[][];
  perClass: ClassScores[];
  /** Unweighted mean over the classes where the score is defined (scikit-learn's zero_division=nan). */
  macro: Scores;
  /** Mean weighted by support over the classes where the score is defined. */
  weighted: Scores;
  /** Share of validation clips predicted right; null without clips. */
  accuracy: number | null;
  total: number;
}

export type RunEvaluationDto =
  | ({
      runId: number;
      computed: true;
      classes: RunClass[];
      /** When the run's final model was evaluated. */
      evaluatedAt: string;
    } & ConfusionMetrics)
  | {
      runId: number;
      computed: false;
      /** Why there is nothing to show (trained before this version, not finished yet). */
      reason: string;
    };

/** A validation clip in one cell of the confusion matrix. */
export interface EvaluationClipDto {
  clipId: number;
  videoId: number;
  videoName: string;
  startSec: number;
  endSec: number;
  trueClassId: number;
  predictedClassId: number;
  /** The predicted class's probability. */
  confidence: number;
}
