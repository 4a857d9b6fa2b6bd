import type { Database } from 'better-sqlite3';
import type { RunClass, RunDto } from '../../../../shared/run-dto.js';
import type { EvaluationClipDto, RunEvaluationDto } from '../../../../shared/run-evaluation.js';
import { nowIso } from '../../../clock.js';
import type { LabelledClip } from '../../jobs.js';
import { confusionMatrix, perClassMetrics } from './per-class-metrics.js';

interface PairRow {
  true_class_id: number;
  predicted_class_id: number;
}

interface ClipRow {
  clip_id: number;
  video_id: number;
  video_name: string;
  start_sec: number;
  end_sec: number;
  true_class_id: number;
  predicted_class_id: number;
  confidence: number;
}

/** Each run's validation clips with their true and predicted class, and the per-class scores derived from them. */
export class RunEvaluationRepository {
  constructor(private readonly db: Database) {}

  /**
   * Records the run's validation split as its final model predicted it (the run's stored predictions),
   * replacing an earlier record (a resumed run). A clip the run could not decode has no prediction and
   * is left out, as training left it out.
   */
  record(runId: number, classes: readonly RunClass[], validation: readonly LabelledClip[]): void {
    const insert = this.db.prepare(
      `INSERT INTO run_validation (run_id, clip_id, true_class_id, predicted_class_id, confidence)
       SELECT run_id, clip_id, ?, class_id, confidence FROM predictions WHERE run_id = ? AND clip_id = ?`,
    );
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM run_validation WHERE run_id = ?').run(runId);
      for (const item of validation) {
        const cls = classes[item.classIndex];
        if (!cls) throw new Error(`Validation clip ${item.clip.clipId} has class index ${item.classIndex}, outside the run's ${classes.length} classes.`);
        insert.run(cls.id, runId, item.clip.clipId);
      }
      this.db.prepare('UPDATE runs SET evaluated_at = ? WHERE id = ?').run(nowIso(), runId);
    })();
  }

  evaluation(run: RunDto): RunEvaluationDto {
    const row = this.db.prepare('SELECT evaluated_at FROM runs WHERE id = ?').get(run.id) as { evaluated_at: string | null } | undefined;
    const evaluatedAt = row?.evaluated_at ?? null;
    if (evaluatedAt === null) return { runId: run.id, computed: false, reason: notComputedReason(run) };
    const indexOf = new Map(run.classes.map((c, i) => [c.id, i]));
    const index = (classId: number): number => {
      const i = indexOf.get(classId);
      if (i === undefined) throw new Error(`Run ${run.id}'s evaluation names class ${classId}, which is not one of the run's classes.`);
      return i;
    };
    const pairs = (
      this.db.prepare('SELECT true_class_id, predicted_class_id FROM run_validation WHERE run_id = ?').all(run.id) as PairRow[]
    ).map((p) => ({ trueIndex: index(p.true_class_id), predictedIndex: index(p.predicted_class_id) }));
    const metrics = perClassMetrics(run.classes, confusionMatrix(run.classes.length, pairs));
    return { runId: run.id, computed: true, classes: run.classes, evaluatedAt, ...metrics };
  }

  /** The validation clips of one cell (true class, predicted class) still in the project, in video and time order. */
  cellClips(runId: number, trueClassId: number, predictedClassId: number): EvaluationClipDto[] {
    const rows = this.db
      .prepare(
        `SELECT r.clip_id, c.video_id, v.name AS video_name, c.start_sec, c.end_sec, r.true_class_id,
                r.predicted_class_id, r.confidence
         FROM run_validation r JOIN clips c ON c.id = r.clip_id JOIN videos v ON v.id = c.video_id
         WHERE r.run_id = ? AND r.true_class_id = ? AND r.predicted_class_id = ?
         ORDER BY v.name, c.start_frame`,
      )
      .all(runId, trueClassId, predictedClassId) as ClipRow[];
    return rows.map((r) => ({
      clipId: r.clip_id,
      videoId: r.video_id,
      videoName: r.video_name,
      startSec: r.start_sec,
      endSec: r.end_sec,
      trueClassId: r.true_class_id,
      predictedClassId: r.predicted_class_id,
      confidence: r.confidence,
    }));
  }
}

function notComputedReason(run: RunDto): string {
  if (run.status === 'succeeded') return 'Not computed for runs trained before this version: train again to see per-class scores.';
  if (run.status === 'queued' || run.status === 'running') return 'Computed when the run finishes training.';
  return `Not computed: the run ${run.status} before its final model was evaluated.`;
}
