import { describe, expect, it } from 'vitest';
import type { JobDto, JobState } from '../shared/dto.js';
import { INDETERMINATE, NO_PROGRESS, taskbarProgress } from './taskbar-progress.js';

function job(id: number, state: JobState, progress: number | null): JobDto {
  const at = '2026-12-07T00:00:00.000Z';
  return { id, kind: 'import', title: 'Import', state, progress, etaSeconds: null, message: '', error: null, result: null, cancellable: true, createdAt: at, updatedAt: at, finishedAt: null };
}

describe('taskbar and dock progress', () => {
  it('is the mean of the running jobs that know their progress, indeterminate when none does, gone when idle', () => {
    expect(taskbarProgress([])).toBe(NO_PROGRESS);
    expect(taskbarProgress([job(1, 'succeeded', 1), job(2, 'failed', 0.3)])).toBe(NO_PROGRESS);
    expect(taskbarProgress([job(1, 'running', null), job(2, 'queued', null)])).toBe(INDETERMINATE);
    expect(taskbarProgress([job(1, 'running', 0.2), job(2, 'running', 0.6), job(3, 'running', null)])).toBeCloseTo(0.4, 9);
  });
});
