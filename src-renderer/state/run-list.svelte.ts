import { SvelteMap } from 'svelte/reactivity';
import { mergeMetrics, withEpoch, withStep, type MetricsHistory } from './run-metrics.js';
import { toasts } from './toasts.svelte.js';

/** Where one kind of run (classification, anomaly) is read from, and what a failure says. */
export interface RunListSource<Run extends { id: number }, Metrics extends MetricsHistory, Options> {
  listRuns(): Promise<Run[]>;
  readOptions(): Promise<Options>;
  readMetrics(id: number): Promise<Metrics>;
  /** A run's metrics before its history arrives. */
  emptyMetrics(id: number): Metrics;
  failures: { list: string; options: string; metrics: (id: number) => string };
}

/**
 * The runs of one kind in the open project, the options of its training form, and the metrics of the
 * runs shown in charts (loaded on demand, then followed live). A subclass wires the events of its
 * kind to `changed`, `forget`, `stepArrived`, `epochArrived` and `resync`, and adds its commands.
 */
export class RunListState<Run extends { id: number }, Metrics extends MetricsHistory, Options> {
  protected readonly byId = new SvelteMap<number, Run>();
  private readonly metricsById = new SvelteMap<number, Metrics>();
  // Bookkeeping only: nothing renders from it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly loadingMetrics = new Set<number>();

  /** The project these runs belong to (the view clears them when another opens). */
  projectPath: string | null = null;
  options = $state.raw<Options | null>(null);
  loaded = $state(false);
  /** The run whose charts are shown. */
  selectedId = $state<number | null>(null);

  list = $derived([...this.byId.values()].sort((a, b) => b.id - a.id));
  selected = $derived(this.selectedId === null ? null : (this.byId.get(this.selectedId) ?? null));

  private readonly source: RunListSource<Run, Metrics, Options>;

  constructor(source: RunListSource<Run, Metrics, Options>) {
    this.source = source;
  }

  clear(): void {
    this.byId.clear();
    this.metricsById.clear();
    this.options = null;
    this.loaded = false;
    this.selectedId = null;
  }

  /** Drops the loaded metrics (they are loaded again when a chart needs them). */
  forgetMetrics(): void {
    this.metricsById.clear();
  }

  get(id: number): Run | undefined {
    return this.byId.get(id);
  }

  metricsOf(id: number): Metrics | undefined {
    return this.metricsById.get(id);
  }

  /** Loads the runs and the options; selects a run when none is selected. */
  async load(): Promise<void> {
    await Promise.all([this.loadRuns(), this.loadOptions()]);
  }

  private async loadRuns(): Promise<void> {
    try {
      const runs = await this.source.listRuns();
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, never rendered
      const listed = new Set(runs.map((run) => run.id));
      for (const id of this.byId.keys()) if (!listed.has(id)) this.forget(id);
      for (const run of runs) this.byId.set(run.id, run);
      this.loaded = true;
      if (this.selectedId === null || !this.byId.has(this.selectedId)) this.selectedId = this.preferred();
    } catch (err) {
      toasts.error(this.source.failures.list, err);
    }
  }

  async loadOptions(): Promise<void> {
    try {
      this.options = await this.source.readOptions();
    } catch (err) {
      toasts.error(this.source.failures.options, err);
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
    const live = this.source.emptyMetrics(id);
    this.metricsById.set(id, this.metricsById.get(id) ?? live);
    try {
      const history = await this.source.readMetrics(id);
      const during = this.metricsById.get(id) ?? live;
      // Gone meanwhile (deleted, or another project opened): nothing to fill.
      if (this.metricsById.has(id)) this.metricsById.set(id, mergeMetrics(history, during));
    } catch (err) {
      this.metricsById.delete(id);
      toasts.error(this.source.failures.metrics(id), err);
    } finally {
      this.loadingMetrics.delete(id);
    }
  }

  /** The run to show when none is chosen: the newest. */
  protected preferred(): number | null {
    return this.list[0]?.id ?? null;
  }

  /** A run's 'changed' event: a run started elsewhere (the CLI, another window) shows up without a click. */
  protected changed(run: Run): void {
    this.byId.set(run.id, run);
    if (this.selectedId === null) this.selectedId = run.id;
  }

  /** A run this window started or resumed: listed and shown at once. */
  protected shown(run: Run): void {
    this.byId.set(run.id, run);
    this.selectedId = run.id;
  }

  protected stepArrived(runId: number, step: Metrics['steps'][number]): void {
    const known = this.metricsById.get(runId);
    if (known) this.metricsById.set(runId, withStep(known, step));
  }

  protected epochArrived(runId: number, epoch: Metrics['epochs'][number]): void {
    const known = this.metricsById.get(runId);
    if (known) this.metricsById.set(runId, withEpoch(known, epoch));
  }

  /** After a reconnect: everything loaded is read again. */
  protected resync(isProjectOpen: () => boolean): void {
    if (!isProjectOpen()) return;
    void this.load();
    for (const id of this.metricsById.keys()) void this.fetchMetrics(id);
  }

  protected forget(id: number): void {
    this.byId.delete(id);
    this.metricsById.delete(id);
    if (this.selectedId === id) this.selectedId = this.preferred();
  }

  /** undefined when it failed (null is a valid answer: a delete gives null). */
  protected async call<T>(failure: string, action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (err) {
      toasts.error(failure, err);
      return undefined;
    }
  }
}

