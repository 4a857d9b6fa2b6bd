import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { TrainOptions } from '../../src-main/shared/contract.js';
import type { ModelExportReport, RunDto, RunMetricsDto } from '../../src-main/shared/run-dto.js';
import type { TrainSettings } from '../../src-main/shared/training.js';
import { api } from '../lib/api.js';
import { mergeMetrics, withEpoch, withStep } from './run-metrics.js';
import { toasts } from './toasts.svelte.js';

/**
 * Training runs of the open project, the Train view's options, and the metrics of the runs shown
 * in charts; kept current by 'runs:changed' / 'runs:removed' and the live 'run:step' / 'run:epoch'.
 */
class RunsState {
  private readonly byId = new SvelteMap<number, RunDto>();
  /** Metrics of the runs a chart shows (loaded on demand, then followed live). */
  private readonly metricsById = new SvelteMap<number, RunMetricsDto>();
  private readonly loadingMetrics = new Set<number>();

  /** The project these runs belong to (the view clears them when another opens). */
  projectPath: string | null = null;
  options = $state.raw<TrainOptions | null>(null);
  loaded = $state(false);
  /** The run whose charts are shown. */
  selectedId = $state<number | null>(null);
  /** Runs ticked for comparison. */
  readonly compared = new SvelteSet<number>();

  list = $derived([...this.byId.values()].sort((a, b) => b.id - a.id));
  selected = $derived(this.selectedId === null ? null : (this.byId.get(this.selectedId) ?? null));

  connect(isProjectOpen: () => boolean): () => void {
    const offs = [
      api.on('runs:changed', (run) => {
        this.byId.set(run.id, run);
        // A run started elsewhere (the CLI, another window) shows up without a click.
        if (this.selectedId === null) this.selectedId = run.id;
      }),
      api.on('runs:removed', ({ id }) => this.forget(id)),
      api.on('run:step', ({ runId, ...step }) => {
        const known = this.metricsById.get(runId);
        if (known) this.metricsById.set(runId, withStep(known, step));
      }),
      api.on('run:epoch', ({ runId, ...epoch }) => {
        const known = this.metricsById.get(runId);
        if (known) this.metricsById.set(runId, withEpoch(known, epoch));
      }),
      api.on('labels:changed', () => {
        if (isProjectOpen()) void this.loadOptions();
      }),
      api.on('classes:changed', () => {
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
    this.compared.clear();
    this.options = null;
    this.loaded = false;
    this.selectedId = null;
  }

  /** Drops the loaded metrics (they are loaded again when a chart needs them). */
  forgetMetrics(): void {
    this.metricsById.clear();
  }

  get(id: number): RunDto | undefined {
    return this.byId.get(id);
  }

  metricsOf(id: number): RunMetricsDto | undefined {
    return this.metricsById.get(id);
  }

  /** Loads the runs and the options; selects the newest run when none is selected. */
  async load(): Promise<void> {
    await Promise.all([this.loadRuns(), this.loadOptions()]);
  }

  private async loadRuns(): Promise<void> {
    try {
      const runs = await api.invoke('runs:list', {});
      const listed = new Set(runs.map((run) => run.id));
      for (const id of this.byId.keys()) if (!listed.has(id)) this.forget(id);
      for (const run of runs) this.byId.set(run.id, run);
      this.loaded = true;
      if (this.selectedId === null || !this.byId.has(this.selectedId)) this.selectedId = this.list[0]?.id ?? null;
    } catch (err) {
      toasts.error('Could not list the training runs', err);
    }
  }

  async loadOptions(): Promise<void> {
    try {
      this.options = await api.invoke('train:options', {});
    } catch (err) {
      toasts.error('Could not read the training options', err);
    }
  }

  /** Makes sure a run's metrics are loaded (once; live events keep them current after). */
  ensureMetrics(id: number): void {
    if (this.metricsById.has(id) || this.loadingMetrics.has(id)) return;
    void this.fetchMetrics(id);
  }

  private async fetchMetrics(id: number): Promise<void> {
    this.loadingMetrics.add(id);
    // Events that arrive while the history loads are kept and merged in, not lost.
    const live: RunMetricsDto = { runId: id, epochs: [], steps: [] };
    this.metricsById.set(id, this.metricsById.get(id) ?? live);
    try {
      const history = await api.invoke('runs:metrics', { id });
      const during = this.metricsById.get(id) ?? live;
      // Gone meanwhile (deleted, or another project opened): nothing to fill.
      if (this.metricsById.has(id)) this.metricsById.set(id, mergeMetrics(history, during));
    } catch (err) {
      this.metricsById.delete(id);
      toasts.error(`Could not load the metrics of run ${id}`, err);
    } finally {
      this.loadingMetrics.delete(id);
    }
  }

  /** Throws: the form shows why the core refused, beside the settings. */
  async start(settings: TrainSettings): Promise<RunDto> {
    const run = await api.invoke('train:start', { settings });
    this.byId.set(run.id, run);
    this.selectedId = run.id;
    // The project remembers the flip choice: the next form starts from it.
    void this.loadOptions();
    return run;
  }

  /** A run started from this window another way (a retrain): listed and shown at once. */
  show(run: RunDto): void {
    // Its 'runs:changed' event may have arrived first and be newer than this answer.
    if (!this.byId.has(run.id)) this.byId.set(run.id, run);
    this.selectedId = run.id;
  }

  async cancel(id: number): Promise<void> {
    // The answer shows the run still stopping; its 'runs:changed' event (which can arrive over the
    // socket before this answer) says when it stopped, so the answer must not overwrite it.
    await this.call('Could not cancel the run', () => api.invoke('train:cancel', { runId: id }));
  }

  async resume(id: number): Promise<void> {
    const run = await this.call('Could not resume the run', () => api.invoke('train:resume', { runId: id }));
    if (run) {
      this.byId.set(run.id, run);
      this.selectedId = run.id;
    }
  }

  async remove(id: number): Promise<boolean> {
    const done = await this.call('Could not delete the run', () => api.invoke('runs:delete', { id }));
    if (done !== undefined) this.forget(id);
    return done !== undefined;
  }

  /** Throws: the export dialog shows the reason beside the folder the person chose. */
  exportModel(id: number, dir: string): Promise<ModelExportReport> {
    return api.invoke('models:export', { runId: id, dir });
  }

  toggleCompared(id: number): void {
    if (this.compared.has(id)) this.compared.delete(id);
    else this.compared.add(id);
  }

  private forget(id: number): void {
    this.byId.delete(id);
    this.metricsById.delete(id);
    this.compared.delete(id);
    if (this.selectedId === id) this.selectedId = this.list[0]?.id ?? null;
  }

  /** undefined when it failed (null is a valid answer: runs:delete gives null). */
  private async call<T>(failure: string, action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (err) {
      toasts.error(failure, err);
      return undefined;
    }
  }
}

export const runs = new RunsState();
