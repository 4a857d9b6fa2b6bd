import type { Database } from 'better-sqlite3';
import { ApiError } from '../../shared/errors.js';
import { reviewFilterSchema, reviewSessionSchema, type ReviewSession } from '../../shared/review.js';
import type { RunRepository } from '../classify/main/run-repository.js';

const SESSION_KEY = 'review.session';

/** The newest finished run with predictions: what review opens on by default. */
export function defaultReviewRun(runs: RunRepository): number | null {
  return runs.list().find((r) => r.status === 'succeeded' && r.predictions > 0)?.id ?? null;
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** Where the person left the review queue, kept in the project so it survives a restart. */
export class ReviewSessionStore {
  constructor(
    private readonly db: Database,
    private readonly runs: RunRepository,
  ) {}

  get(): ReviewSession {
    const stored = this.read();
    if (stored) {
      if (stored.runId !== null && this.runs.get(stored.runId)) return stored;
      // The run it was on was deleted: go on with the default run, same strategy and seed.
      const session = { ...stored, runId: defaultReviewRun(this.runs), clipId: null };
      this.write(session);
      return session;
    }
    const session: ReviewSession = {
      runId: defaultReviewRun(this.runs),
      strategy: 'least-confidence',
      filter: reviewFilterSchema.parse({}),
      // Drawn once and stored, so the random order stays put across restarts.
      seed: randomSeed(),
      clipId: null,
    };
    this.write(session);
    return session;
  }

  set(changes: Partial<ReviewSession>): ReviewSession {
    if (changes.runId !== undefined && changes.runId !== null && !this.runs.get(changes.runId)) {
      throw new ApiError('NOT_FOUND', `There is no training run ${changes.runId}.`);
    }
    const current = this.get();
    const next: Partial<ReviewSession> = { ...current };
    for (const [key, value] of Object.entries(changes)) {
      if (value !== undefined) (next as Record<string, unknown>)[key] = value;
    }
    // Another run has other clips: where the person was in the old one means nothing there.
    if (changes.runId !== undefined && changes.runId !== current.runId && changes.clipId === undefined) next.clipId = null;
    const session = reviewSessionSchema.parse(next);
    this.write(session);
    return session;
  }

  private read(): ReviewSession | null {
    const row = this.db.prepare('SELECT value FROM project_meta WHERE key = ?').get(SESSION_KEY) as
      | { value: string }
      | undefined;
    if (!row) return null;
    try {
      const parsed = reviewSessionSchema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private write(session: ReviewSession): void {
    this.db
      .prepare(`INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
      .run(SESSION_KEY, JSON.stringify(session));
  }
}
