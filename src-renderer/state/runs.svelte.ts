import { SvelteSet } from 'svelte/reactivity';
import type { TrainOptions } from '../../src-main/shared/contract.js';
import type { ModelExportFormat, ModelExportReport, RunDto, RunMetricsDto } from '../../src-main/shared/run-dto.js';
import type { TrainSettings } from '../../src-main/shared/training.js';
import { api } from '../lib/api.js';
import { RunListState } from './run-list.svelte.js';

/**
 * Training runs of the open project, the Train view's options, and the metrics of the runs shown
 * in charts; kept current by 'runs:changed' / 'runs:removed' and the live 'run:step' / 'run:epoch'.
 */
class RunsState extends RunListState<RunDto, RunMetricsDto, TrainOptions> {
  /** Runs ticked for comparison. */
  readonly compared = new SvelteSet<number>();

  constructor() {
    super({
      listRuns: () => api.invoke('runs:list', {}),
      readOptions: () => api.invoke('train:options', {}),
      readMetrics: (id) => api.invoke('runs:metrics', { id }),
      emptyMetrics: (id) => ({ runId: id, epochs: [], steps: [] }),
      failures: {
        list: 'Could not list the training runs',
        options: 'Could not read the training options',
        metrics: (id) => `Could not load the metrics of run ${id}`,
      },
    });
  }

  connect(isProjectOpen: () => boolean): () => void {
    const offs = [
      api.on('runs:changed', (run) => this.changed(run)),
      api.on('runs:removed', ({ id }) => this.forget(id)),
      api.on('run:step', ({ runId, ...step }) => this.stepArrived(runId, step)),
      api.on('run:epoch', ({ runId, ...epoch }) => this.epochArrived(runId, epoch)),
      api.on('labels:changed', () => {
        if (isProjectOpen()) void this.loadOptions();
      }),
      api.on('classes:changed', () => {
        if (isProjectOpen()) void this.loadOptions();
      }),
      api.onResync(() => this.resync(isProjectOpen)),
    ];
    return () => offs.forEach((off) => off());
  }

  override clear(): void {
    super.clear();
    this.compared.clear();
  }

  /** Throws: the form shows why the core refused, beside the settings. */
  async start(settings: TrainSettings): Promise<RunDto> {
    const run = await api.invoke('train:start', { settings });
    this.shown(run);
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
    if (run) this.shown(run);
  }

  async remove(id: number): Promise<boolean> {
    const done = await this.call('Could not delete the run', () => api.invoke('runs:delete', { id }));
    if (done !== undefined) this.forget(id);
    return done !== undefined;
  }

  /** Throws: the export dialog shows the reason beside the folder the person chose. */
  exportModel(id: number, dir: string, format: ModelExportFormat): Promise<ModelExportReport> {
    return api.invoke('models:export', { runId: id, dir, format });
  }

  toggleCompared(id: number): void {
    if (this.compared.has(id)) this.compared.delete(id);
    else this.compared.add(id);
  }

  protected override forget(id: number): void {
    this.compared.delete(id);
    super.forget(id);
  }
}

export const runs = new RunsState();
