import { SvelteMap } from 'svelte/reactivity';
import type { AnomalyRunDto, AnomalyRunMetricsDto, AnomalySettings } from '../../src-main/shared/anomaly.js';
import type { ResultOf } from '../../src-main/shared/contract.js';
import { api } from '../lib/api.js';
import { mergeAnomalyMetrics, withAnomalyEpoch, withAnomalyStep } from './anomaly-metrics.js';
import { toasts } from './toasts.svelte.js';

export type AnomalyOptions = ResultOf<'anomaly:options'>;

export function isAnomalyRunLive(run: AnomalyRunDto): boolean {
  return run.status === 'queued' || run.status === 'running';
}

/**
 * The anomaly runs of the open project, the training options (defaults, footage marked normal)
 * and the metrics of the run shown; kept current by the 'anomaly:*' run events.
 */
class AnomalyRunsState {
  private readonly byId = new SvelteMap<number, AnomalyRunDto>();
  private readonly metricsById = new SvelteMap<number, AnomalyRunMetricsDto>();
  private readonly loadingMetrics = new Set<number>();

  /** The project these runs belong to (the view clears them when another opens). */
  projectPath: string | null = null;
  options = $state.raw<AnomalyOptions | null>(null);
  loaded = $state(false);
  /** The run whose scores, events and AUC the view shows. */
  selectedId = $state<number | null>(null);

  list = $derived([...this.byId.values()].sort((a, b) => b.id - a.id));
  selected = $derived(this.selectedId === null ? null : (this.byId.get(this.selectedId) ?? null));

  connect(isProjectOpen: () => boolean): () => void {
    const offs = [
      api.on('anomaly:runs:changed', (run) => {
        this.byId.set(run.id, run);
        if (this.selectedId === null) this.selectedId = run.id;
      }),
      api.on('anomaly:runs:removed', ({ id }) => this.forget(id)),
      api.on('anomaly:step', ({ runId, ...step }) => {
        const known = this.metricsById.get(runId);
        if (known) this.metricsById.set(runId, withAnomalyStep(known, step));
      }),
      api.on('anomaly:epoch', ({ runId, ...epoch }) => {
        const known = this.metricsById.get(runId);
        if (known) this.metricsById.set(runId, withAnomalyEpoch(known, epoch));
      }),
      // Normal marks are what training learns from: the form says how much footage that is.
      api.on('anomaly:marks:changed', () => {
        if (isProjectOpen()) void this.loadOptions();
      }),
      api.onResync(() => {
        if (!isProjectOpen()) return;
        void this.load();
        for (const id of this.metricsById.keys()) void this.fetchMetrics(id);
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  clear(): void {
    this.byId.clear();
    this.metricsById.clear();
    this.options = null;
    this.loaded = false;
    this.selectedId = null;
  }

  forgetMetrics(): void {
    this.metricsById.clear();
  }

  get(id: number): AnomalyRunDto | undefined {
    return this.byId.get(id);
  }

  metricsOf(id: number): AnomalyRunMetricsDto | undefined {
    return this.metricsById.get(id);
  }

  async load(): Promise<void> {
    await Promise.all([this.loadRuns(), this.loadOptions()]);
  }

  private async loadRuns(): Promise<void> {
    try {
      const runs = await api.invoke('anomaly:runs', {});
      const listed = new Set(runs.map((run) => run.id));
      for (const id of this.byId.keys()) if (!listed.has(id)) this.forget(id);
      for (const run of runs) this.byId.set(run.id, run);
      this.loaded = true;
      if (this.selectedId === null || !this.byId.has(this.selectedId)) this.selectedId = this.preferred();
    } catch (err) {
      toasts.error('Could not list the anomaly runs', err);
    }
  }

  /** The newest run with a model (what scores and events come from), else the newest. */
  private preferred(): number | null {
    return (this.list.find((run) => run.hasModel) ?? this.list[0])?.id ?? null;
  }

  async loadOptions(): Promise<void> {
    try {
      this.options = await api.invoke('anomaly:options', {});
    } catch (err) {
      toasts.error('Could not read the anomaly training options', err);
    }
  }

  ensureMetrics(id: number): void {
    if (this.metricsById.has(id) || this.loadingMetrics.has(id)) return;
    void this.fetchMetrics(id);
  }

  private async fetchMetrics(id: number): Promise<void> {
    this.loadingMetrics.add(id);
    // Events that arrive while the history loads are kept and merged in, not lost.
    const live: AnomalyRunMetricsDto = { epochs: [], steps: [] };
    this.metricsById.set(id, this.metricsById.get(id) ?? live);
    try {
      const history = await api.invoke('anomaly:metrics', { id });
      const during = this.metricsById.get(id) ?? live;
      if (this.metricsById.has(id)) this.metricsById.set(id, mergeAnomalyMetrics(history, during));
    } catch (err) {
      this.metricsById.delete(id);
      toasts.error(`Could not load the metrics of anomaly run ${id}`, err);
    } finally {
      this.loadingMetrics.delete(id);
    }
  }

  /** Throws: the form shows why the core refused, beside the settings. */
  async train(settings: AnomalySettings): Promise<AnomalyRunDto> {
    const run = await api.invoke('anomaly:train', { settings });
    this.byId.set(run.id, run);
    this.selectedId = run.id;
    return run;
  }

  async cancel(id: number): Promise<void> {
    await this.call('Could not cancel the anomaly run', () => api.invoke('anomaly:cancel', { runId: id }));
  }

  async resume(id: number): Promise<void> {
    const run = await this.call('Could not resume the anomaly run', () => api.invoke('anomaly:resume', { runId: id }));
    if (run) {
      this.byId.set(run.id, run);
      this.selectedId = run.id;
    }
  }

  async remove(id: number): Promise<void> {
    const done = await this.call('Could not delete the anomaly run', () => api.invoke('anomaly:delete', { id }));
    if (done !== undefined) this.forget(id);
  }

  private forget(id: number): void {
    this.byId.delete(id);
    this.metricsById.delete(id);
    if (this.selectedId === id) this.selectedId = this.preferred();
  }

  private async call<T>(failure: string, action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (err) {
      toasts.error(failure, err);
      return undefined;
    }
  }
}

export const anomalyRuns = new AnomalyRunsState();
