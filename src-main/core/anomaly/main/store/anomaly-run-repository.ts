import type { Database } from 'better-sqlite3';
import {
  readStoredAnomalySettings,
  type AnomalyEpochDto,
  type AnomalyRunDto,
  type AnomalyRunMetricsDto,
  type AnomalySettings,
  type AnomalyStepDto,
} from '../../../../shared/anomaly.js';
import type { RunStatus } from '../../../../shared/run-dto.js';
import { nowIso } from '../../../clock.js';
import { isResumable, runStateColumns, runStateFields, updateColumns, type RunStateRow, type RunStateUpdate } from '../../../engine/main/run-state-columns.js';
import type { NormalFootage } from '../marks/anomaly-mark-service.js';
import { AnomalyScoreRepository } from './anomaly-score-repository.js';

export type { NormalFootage };

export interface NewAnomalyRun {
  name: string;
  settings: AnomalySettings;
  normal: NormalFootage[];
}

export interface AnomalyTubeCounts {
  kept: number;
  seen: number;
  motionWindows: number;
  gridWindows: number;
}

export interface AnomalyRunUpdate extends RunStateUpdate {
  tubes?: AnomalyTubeCounts;
}

interface AnomalyRunRow extends RunStateRow {
  id: number;
  name: string;
  settings_json: string;
  normal_json: string;
  tubes_json: string | null;
  has_model: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export const ACTIVE_ANOMALY_STATES: readonly RunStatus[] = ['queued', 'running'];

/** How much footage a list of normal stretches holds. */
export function normalSummary(normal: readonly NormalFootage[]): AnomalyRunDto['normal'] {
  return {
    intervals: normal.length,
    videos: new Set(normal.map((n) => n.videoId)).size,
    frames: normal.reduce((sum, n) => sum + (n.endFrame - n.startFrame), 0),
  };
}

/** Anomaly runs and their metrics, written as they happen so a killed app loses nothing committed. */
export class AnomalyRunRepository {
  private readonly scores: AnomalyScoreRepository;

  constructor(private readonly db: Database) {
    this.scores = new AnomalyScoreRepository(db);
  }

  create(run: NewAnomalyRun): number {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO anomaly_runs (name, settings_json, normal_json, status, created_at)
         VALUES (?, ?, ?, 'queued', ?)`,
      )
      .run(run.name, JSON.stringify(run.settings), JSON.stringify(run.normal), nowIso());
    return Number(lastInsertRowid);
  }

  get(id: number): AnomalyRunDto | null {
    const row = this.db.prepare('SELECT * FROM anomaly_runs WHERE id = ?').get(id) as AnomalyRunRow | undefined;
    return row ? this.toDto(row) : null;
  }

  /** Newest first. */
  list(): AnomalyRunDto[] {
    const rows = this.db.prepare('SELECT * FROM anomaly_runs ORDER BY id DESC').all() as AnomalyRunRow[];
    return rows.map((row) => this.toDto(row));
  }

  /** The newest run with a trained model, for commands where the run is optional. */
  latestWithModel(): AnomalyRunDto | null {
    const row = this.db.prepare('SELECT * FROM anomaly_runs WHERE has_model = 1 ORDER BY id DESC LIMIT 1').get() as
      | AnomalyRunRow
      | undefined;
    return row ? this.toDto(row) : null;
  }

  /** The footage the run learnt as normal (what a resume trains on again). */
  normal(id: number): NormalFootage[] {
    const row = this.db.prepare('SELECT normal_json FROM anomaly_runs WHERE id = ?').get(id) as { normal_json: string } | undefined;
    return row ? (JSON.parse(row.normal_json) as NormalFootage[]) : [];
  }

  update(id: number, update: AnomalyRunUpdate): void {
    const columns = runStateColumns(update);
    if (update.tubes !== undefined) columns.push(['tubes_json', JSON.stringify(update.tubes)]);
    updateColumns(this.db, 'anomaly_runs', id, columns);
  }

  /**
   * Runs that were training when the app stopped are never left showing "running"; a scoring job that
   * died with the app leaves its run as it was, without the job.
   */
  markInterrupted(): number {
    return this.db.transaction(() => {
      const { changes } = this.db
        .prepare(
          `UPDATE anomaly_runs SET status = 'interrupted', job_id = NULL, finished_at = ?,
             error = COALESCE(error, 'The app stopped while this run was training.')
           WHERE status IN ('queued', 'running')`,
        )
        .run(nowIso());
      this.db.prepare('UPDATE anomaly_runs SET job_id = NULL WHERE job_id IS NOT NULL').run();
      return changes;
    })();
  }

  /** Removes the run with its metrics and scores (ON DELETE CASCADE). */
  remove(id: number): void {
    this.db.prepare('DELETE FROM anomaly_runs WHERE id = ?').run(id);
  }

  /** Records an epoch, replacing any earlier record of the same epoch. */
  addEpoch(runId: number, metrics: AnomalyEpochDto): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM anomaly_metrics WHERE run_id = ? AND kind = 'epoch' AND epoch = ?`).run(runId, metrics.epoch);
      this.db
        .prepare(`INSERT INTO anomaly_metrics (run_id, kind, epoch, step, metrics_json) VALUES (?, 'epoch', ?, ?, ?)`)
        .run(runId, metrics.epoch, metrics.step, JSON.stringify(epochDto(metrics)));
      this.db.prepare('UPDATE anomaly_runs SET epochs_done = MAX(epochs_done, ?) WHERE id = ?').run(metrics.epoch, runId);
    })();
  }

  addStep(runId: number, step: AnomalyStepDto): void {
    this.db
      .prepare(`INSERT INTO anomaly_metrics (run_id, kind, epoch, step, metrics_json) VALUES (?, 'step', ?, ?, ?)`)
      .run(runId, step.epoch, step.step, JSON.stringify(stepDto(step)));
  }

  /** Forgets metrics after an epoch (a resumed run redoes the epoch it was stopped in). */
  dropMetricsAfter(runId: number, epoch: number): void {
    this.db.prepare('DELETE FROM anomaly_metrics WHERE run_id = ? AND epoch > ?').run(runId, epoch);
  }

  metrics(runId: number): AnomalyRunMetricsDto {
    const rows = this.db
      .prepare('SELECT kind, metrics_json FROM anomaly_metrics WHERE run_id = ? ORDER BY step, epoch, rowid')
      .all(runId) as { kind: 'epoch' | 'step'; metrics_json: string }[];
    const epochs: AnomalyEpochDto[] = [];
    const steps: AnomalyStepDto[] = [];
    for (const row of rows) {
      if (row.kind === 'epoch') epochs.push(JSON.parse(row.metrics_json) as AnomalyEpochDto);
      else steps.push(JSON.parse(row.metrics_json) as AnomalyStepDto);
    }
    epochs.sort((a, b) => a.epoch - b.epoch);
    return { epochs, steps };
  }

  private lastEpoch(runId: number): AnomalyEpochDto | null {
    const row = this.db
      .prepare(`SELECT metrics_json FROM anomaly_metrics WHERE run_id = ? AND kind = 'epoch' ORDER BY epoch DESC LIMIT 1`)
      .get(runId) as { metrics_json: string } | undefined;
    return row ? (JSON.parse(row.metrics_json) as AnomalyEpochDto) : null;
  }

  private toDto(row: AnomalyRunRow): AnomalyRunDto {
    const settings = readStoredAnomalySettings(JSON.parse(row.settings_json));
    return {
      id: row.id,
      name: row.name,
      settings,
      ...runStateFields(row),
      normal: normalSummary(JSON.parse(row.normal_json) as NormalFootage[]),
      tubes: row.tubes_json === null ? null : (JSON.parse(row.tubes_json) as AnomalyTubeCounts),
      last: this.lastEpoch(row.id),
      hasModel: row.has_model === 1,
      resumable: isResumable(row.status, row.epochs_done, settings.epochs),
      scoredVideos: this.scores.count(row.id),
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    };
  }
}

/** Only the DTO's fields (a worker message may carry more). */
function epochDto(m: AnomalyEpochDto): AnomalyEpochDto {
  return {
    ...stepDto(m),
    learningRate: m.learningRate,
    tubes: m.tubes,
    tubesPerSecond: m.tubesPerSecond,
    seconds: m.seconds,
  };
}

function stepDto(m: AnomalyStepDto): AnomalyStepDto {
  return {
    epoch: m.epoch,
    step: m.step,
    loss: m.loss,
    middleFrameLoss: m.middleFrameLoss,
    arrowLoss: m.arrowLoss,
    irregularLoss: m.irregularLoss,
    arrowAccuracy: m.arrowAccuracy,
    irregularAccuracy: m.irregularAccuracy,
    teacherLoss: m.teacherLoss ?? null,
  };
}
