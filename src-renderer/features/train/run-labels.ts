/** How the Train view words runs: status names, percentages, dates. */
import type { RunDto, RunStatus } from '../../../src-main/shared/run-dto.js';
import { totalEpochsOf } from '../../../src-main/shared/training.js';

export const runStatusLabels: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export function isLive(run: RunDto): boolean {
  return run.status === 'queued' || run.status === 'running';
}

export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)} %`;
}

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function epochsText(run: RunDto): string {
  return run.settings ? `${run.epochsDone} / ${totalEpochsOf(run.settings)}` : '—';
}

/** The file an imported run came from, by name ('' for a trained run). */
export function sourceName(run: RunDto): string {
  return run.source ? (run.source.file.split(/[\\/]/).pop() ?? run.source.file) : '';
}

/** What made the run's predictions: its method's title, or "Imported from <file>". */
export function runKindText(run: RunDto, methodTitle: (method: string) => string): string {
  return run.method === null ? `Imported from ${sourceName(run)}` : methodTitle(run.method);
}

/** Where a run with self-supervised pretraining stands: null for a run without it. */
export function pretrainText(run: RunDto, methodTitle: string): string | null {
  const pretrain = run.settings?.pretrainEpochs ?? 0;
  if (pretrain === 0) return null;
  const objective = run.settings?.pretrainObjective === 'svt' ? 'SVT' : 'contrast';
  if (run.epochsDone < pretrain) return `Pretraining without labels (${objective}): ${run.epochsDone} / ${pretrain} epochs, then ${methodTitle}`;
  return `Pretrained ${pretrain} epochs without labels (${objective}), then ${methodTitle}`;
}

/** "+ 5 pretraining" after a method's name when the run pretrains first ('' otherwise). */
export function pretrainSuffix(run: RunDto): string {
  const pretrain = run.settings?.pretrainEpochs ?? 0;
  return pretrain > 0 ? ` + ${pretrain} pretraining` : '';
}

/** Compact, for the run list: "27/11 14:05" style in the person's locale. */
export function formatShortDate(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
