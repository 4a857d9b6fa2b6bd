import type { Database } from 'better-sqlite3';
import type { EpochMetrics, RunClass, RunDto, RunMetricsDto, RunOrigin, RunSource, RunStatus, StepMetrics } from '../../../shared/run-dto.js';
import { totalEpochsOf, storedTrainSettings, type TrainSettings } from '../../../shared/training.js';
import type { RunStop } from '../../../shared/training-budget.js';
import { nowIso } from '../../clock.js';
import { isResumable, runStateColumns, runStateFields, updateColumns, type RunStateRow, type RunStateUpdate } from '../../engine/main/run-state-columns.js';

interface RunRow extends RunStateRow {
  id: number;
  kind: 'classify' | 'anomaly';
  name: string;
  method: string;
  settings_json: string;
  classes_json: string;
  dataset_json: string;
  has_model: number;
  origin: RunOrigin;
  source_file: string | null;
  source_format: RunSource['format'] | null;
  stop_json: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface RunDataset {
  train: number;
  validation: number;
  unlabelled: number;
  /** Of the train and validation clips, how many had a label from review when the run started. */
  reviewLabels?: number;
}

export interface NewRun {
  name: string;
  settings: TrainSettings;
  classes: RunClass[];
  dataset: RunDataset;
  /** The run this one retrains (the previous round of the review loop). */
  parentRunId?: number | null;
  /** The run whose trained weights this one starts from (null: fresh weights). */
  warmStartRunId?: number | null;
}

/** A run made from a prediction file: finished as it is created, without a model. */
export interface NewImportedRun {
  name: string;
  classes: RunClass[];
  source: RunSource;
}

export interface RunUpdate extends RunStateUpdate {
  epochsDone?: number;
}

const EPOCH_FIELDS = [
  'lr',
  'loss',
  'supervisedLoss',
  'unsupervisedLoss',
  'maskRate',
  'trainAccuracy',
  'validationAccuracy',
  'validationLoss',
  'clipsPerSecond',
  'seconds',
] as const satisfies readonly (keyof EpochMetrics)[];

const THRESHOLD_PREFIX = 'threshold/';
const STEP_LOSS = 'step/loss';
const STEP_MASK_RATE = 'step/maskRate';
/** A row marking an epoch of self-supervised pretraining (the metrics table holds numbers only). */
const STAGE_PRETRAIN = 'stage/pretrain';

export const ACTIVE_RUN_STATES: readonly RunStatus[] = ['queued', 'running'];

/** Runs and their metrics, persisted as they happen so a killed app loses nothing committed. */
export class RunRepository {
  constructor(private readonly db: Database) {}

  create(run: NewRun): number {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO runs (kind, name, method, settings_json, classes_json, dataset_json, status, created_at, parent_run_id, warm_start_run_id)
         VALUES ('classify', ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
      )
      .run(
        run.name,
        run.settings.method,
        JSON.stringify(run.settings),
        JSON.stringify(run.classes),
        JSON.stringify(run.dataset),
        nowIso(),
        run.parentRunId ?? null,
        run.warmStartRunId ?? null,
      );
    return Number(lastInsertRowid);
  }

  createImported(run: NewImportedRun): number {
    const now = nowIso();
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO runs (kind, origin, name, method, settings_json, classes_json, dataset_json, status, created_at,
                           started_at, finished_at, source_file, source_format)
         VALUES ('classify', 'imported', ?, 'imported', '{}', ?, ?, 'succeeded', ?, ?, ?, ?, ?)`,
      )
      .run(
        run.name,
        JSON.stringify(run.classes),
        JSON.stringify({ train: 0, validation: 0, unlabelled: 0 } satisfies RunDataset),
        now,
        now,
        now,
        run.source.file,
        run.source.format,
      );
    return Number(lastInsertRowid);
  }

  get(id: number): RunDto | null {
    const row = this.db.prepare(`SELECT * FROM runs WHERE id = ? AND kind = 'classify'`).get(id) as RunRow | undefined;
    return row ? this.toDto(row) : null;
  }

  list(): RunDto[] {
    const rows = this.db.prepare(`SELECT * FROM runs WHERE kind = 'classify' ORDER BY id DESC`).all() as RunRow[];
    return rows.map((row) => this.toDto(row));
  }

  /** The newest run that has a model, for commands where the run is optional. */
  latestWithModel(): RunDto | null {
    const row = this.db
      .prepare(`SELECT * FROM runs WHERE kind = 'classify' AND has_model = 1 ORDER BY id DESC LIMIT 1`)
      .get() as RunRow | undefined;
    return row ? this.toDto(row) : null;
  }

  update(id: number, update: RunUpdate): void {
    const columns = runStateColumns(update);
    if (update.epochsDone !== undefined) columns.push(['epochs_done', update.epochsDone]);
    updateColumns(this.db, 'runs', id, columns);
  }

  /** Records why a run stopped training; null while it trains again (resumed). */
  setStop(id: number, stop: RunStop | null): void {
    this.db.prepare('UPDATE runs SET stop_json = ? WHERE id = ?').run(stop === null ? null : JSON.stringify(stop), id);
  }

  /** Runs that were training when the app stopped: never left showing "running". */
  markInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', job_id = NULL, finished_at = ?,
           error = COALESCE(error, 'The app stopped while this run was training.')
         WHERE status IN ('queued', 'running')`,
      )
      .run(nowIso()).changes;
  }

  /** Where a run sits in the review loop: the run it retrained, the run whose weights it started from, and its review labels at start. */
  lineage(id: number): { parentRunId: number | null; warmStartRunId: number | null; reviewLabels: number } | null {
    const row = this.db.prepare(`SELECT parent_run_id, warm_start_run_id, dataset_json FROM runs WHERE id = ?`).get(id) as
      | { parent_run_id: number | null; warm_start_run_id: number | null; dataset_json: string }
      | undefined;
    if (!row) return null;
    const dataset = JSON.parse(row.dataset_json) as RunDataset;
    return { parentRunId: row.parent_run_id, warmStartRunId: row.warm_start_run_id, reviewLabels: dataset.reviewLabels ?? 0 };
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
  }

  /** Records an epoch; replaces the epoch's earlier record (a resumed run repeats none, but be safe). */
  addEpoch(runId: number, metrics: EpochMetrics): void {
    const insert = this.db.prepare('INSERT INTO metrics (run_id, epoch, step, name, value) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db
        .prepare(`DELETE FROM metrics WHERE run_id = ? AND epoch = ? AND name NOT LIKE 'step/%'`)
        .run(runId, metrics.epoch);
      for (const field of EPOCH_FIELDS) insert.run(runId, metrics.epoch, metrics.step, field, metrics[field]);
      metrics.classThresholds?.forEach((value, index) => {
        insert.run(runId, metrics.epoch, metrics.step, `${THRESHOLD_PREFIX}${index}`, value);
      });
      if (metrics.stage === 'pretrain') insert.run(runId, metrics.epoch, metrics.step, STAGE_PRETRAIN, 1);
      this.db.prepare('UPDATE runs SET epochs_done = MAX(epochs_done, ?) WHERE id = ?').run(metrics.epoch, runId);
    })();
  }

  addStep(runId: number, step: StepMetrics): void {
    const insert = this.db.prepare('INSERT INTO metrics (run_id, epoch, step, name, value) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      insert.run(runId, step.epoch, step.step, STEP_LOSS, step.loss);
      insert.run(runId, step.epoch, step.step, STEP_MASK_RATE, step.maskRate);
    })();
  }

  /** Forgets metrics after an epoch (a resumed run redoes the epoch it was cancelled in). */
  dropMetricsAfter(runId: number, epoch: number): void {
    this.db.prepare('DELETE FROM metrics WHERE run_id = ? AND epoch > ?').run(runId, epoch);
  }

  metrics(runId: number): RunMetricsDto {
    const rows = this.db
      .prepare('SELECT epoch, step, name, value FROM metrics WHERE run_id = ? ORDER BY step, epoch')
      .all(runId) as { epoch: number; step: number; name: string; value: number | null }[];
    const epochs = new Map<number, EpochMetrics>();
    const steps = new Map<number, StepMetrics>();
    for (const row of rows) {
      if (row.name === STEP_LOSS || row.name === STEP_MASK_RATE) {
        const step = steps.get(row.step) ?? { epoch: row.epoch, step: row.step, loss: 0, maskRate: 0 };
        if (row.name === STEP_LOSS) step.loss = row.value ?? 0;
        else step.maskRate = row.value ?? 0;
        steps.set(row.step, step);
        continue;
      }
      const epoch = epochs.get(row.epoch) ?? emptyEpoch(row.epoch, row.step);
      if (row.name.startsWith(THRESHOLD_PREFIX)) {
        const index = Number(row.name.slice(THRESHOLD_PREFIX.length));
        const thresholds = epoch.classThresholds ?? [];
        thresholds[index] = row.value ?? 0;
        epoch.classThresholds = thresholds;
      } else if (row.name === STAGE_PRETRAIN) {
        epoch.stage = 'pretrain';
      } else if ((EPOCH_FIELDS as readonly string[]).includes(row.name)) {
        setEpochField(epoch, row.name as (typeof EPOCH_FIELDS)[number], row.value);
      }
      epochs.set(row.epoch, epoch);
    }
    return {
      runId,
      epochs: [...epochs.values()].sort((a, b) => a.epoch - b.epoch),
      steps: [...steps.values()].sort((a, b) => a.step - b.step),
    };
  }

  private toDto(row: RunRow): RunDto {
    const imported = row.origin === 'imported';
    const settings = imported ? null : storedTrainSettings(JSON.parse(row.settings_json));
    const metrics = this.metrics(row.id).epochs;
    const accuracies = metrics.map((m) => m.validationAccuracy).filter((a): a is number => a !== null);
    const { count } = this.db.prepare('SELECT COUNT(*) AS count FROM predictions WHERE run_id = ?').get(row.id) as {
      count: number;
    };
    return {
      id: row.id,
      name: row.name,
      origin: row.origin,
      source: imported && row.source_file !== null && row.source_format !== null ? { file: row.source_file, format: row.source_format } : null,
      method: settings?.method ?? null,
      settings,
      ...runStateFields(row),
      classes: JSON.parse(row.classes_json) as RunClass[],
      dataset: datasetCounts(JSON.parse(row.dataset_json) as RunDataset),
      last: metrics.at(-1) ?? null,
      bestValidationAccuracy: accuracies.length ? Math.max(...accuracies) : null,
      stop: row.stop_json === null ? null : (JSON.parse(row.stop_json) as RunStop),
      predictions: count,
      resumable: settings !== null && isResumable(row.status, row.epochs_done, totalEpochsOf(settings)),
      hasModel: row.has_model === 1,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    };
  }
}

/** The counts the DTO carries (the stored JSON also keeps `reviewLabels`, read through `lineage`). */
function datasetCounts(dataset: RunDataset): RunDto['dataset'] {
  return { train: dataset.train, validation: dataset.validation, unlabelled: dataset.unlabelled };
}

function emptyEpoch(epoch: number, step: number): EpochMetrics {
  return {
    epoch,
    step,
    lr: 0,
    loss: 0,
    supervisedLoss: 0,
    unsupervisedLoss: 0,
    maskRate: 0,
    trainAccuracy: 0,
    validationAccuracy: null,
    validationLoss: null,
    classThresholds: null,
    clipsPerSecond: 0,
    seconds: 0,
  };
}

function setEpochField(epoch: EpochMetrics, field: (typeof EPOCH_FIELDS)[number], value: number | null): void {
  if (field === 'validationAccuracy' || field === 'validationLoss') epoch[field] = value;
  else epoch[field] = value ?? 0;
}
