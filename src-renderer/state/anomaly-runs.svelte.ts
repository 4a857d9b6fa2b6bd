import type { AnomalyRunDto, AnomalyRunMetricsDto, AnomalySettings } from '../../src-main/shared/anomaly.js';
import type { ResultOf } from '../../src-main/shared/contract.js';
import type { ModelExportFormat, ModelExportReport } from '../../src-main/shared/run-dto.js';
import { api } from '../lib/api.js';
import { RunListState } from './run-list.svelte.js';

export type AnomalyOptions = ResultOf<'anomaly:options'>;

export function isAnomalyRunLive(run: AnomalyRunDto): boolean {
  return run.status === 'queued' || run.status === 'running';
}

/**
 * The anomaly runs of the open project, the training options (defaults, footage marked normal)
 * and the metrics of the run shown; kept current by the 'anomaly:*' run events. The selected run
 * is the one whose scores, events and AUC the view shows.
 */
class AnomalyRunsState extends RunListState<AnomalyRunDto, AnomalyRunMetricsDto, AnomalyOptions> {
  constructor() {
    super({
      listRuns: () => api.invoke('anomaly:runs', {}),
      readOptions: () => api.invoke('anomaly:options', {}),
      readMetrics: (id) => api.invoke('anomaly:metrics', { id }),
      emptyMetrics: () => ({ epochs: [], steps: [] }),
      failures: {
        list: 'Could not list the anomaly runs',
        options: 'Could not read the anomaly training options',
        metrics: (id) => `Could not load the metrics of anomaly run ${id}`,
      },
    });
  }

  connect(isProjectOpen: () => boolean): () => void {
    const offs = [
      api.on('anomaly:runs:changed', (run) => this.changed(run)),
      api.on('anomaly:runs:removed', ({ id }) => this.forget(id)),
      api.on('anomaly:step', ({ runId, ...step }) => this.stepArrived(runId, step)),
      api.on('anomaly:epoch', ({ runId, ...epoch }) => this.epochArrived(runId, epoch)),
      // Normal marks are what training learns from: the form says how much footage that is.
      api.on('anomaly:marks:changed', () => {
        if (isProjectOpen()) void this.loadOptions();
      }),
      api.onResync(() => this.resync(isProjectOpen)),
    ];
    return () => offs.forEach((off) => off());
  }

  /** The newest run with a model (what scores and events come from), else the newest. */
  protected override preferred(): number | null {
    return (this.list.find((run) => run.hasModel) ?? this.list[0])?.id ?? null;
  }

  /** Throws: the form shows why the core refused, beside the settings. */
  async train(settings: AnomalySettings): Promise<AnomalyRunDto> {
    const run = await api.invoke('anomaly:train', { settings });
    this.shown(run);
    return run;
  }

  async cancel(id: number): Promise<void> {
    await this.call('Could not cancel the anomaly run', () => api.invoke('anomaly:cancel', { runId: id }));
  }

  async resume(id: number): Promise<void> {
    const run = await this.call('Could not resume the anomaly run', () => api.invoke('anomaly:resume', { runId: id }));
    if (run) this.shown(run);
  }

  async remove(id: number): Promise<void> {
    const done = await this.call('Could not delete the anomaly run', () => api.invoke('anomaly:delete', { id }));
    if (done !== undefined) this.forget(id);
  }

  /** Throws: the export dialog shows the reason beside the folder the person chose. */
  exportModel(id: number, dir: string, format: ModelExportFormat): Promise<ModelExportReport> {
    return api.invoke('anomaly:model:export', { runId: id, dir, format });
  }
}

export const anomalyRuns = new AnomalyRunsState();
