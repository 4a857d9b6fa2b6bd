import type { AppMode } from '../shared/dto.js';
import { ApiError } from '../shared/errors.js';
import type { EventBus } from './events.js';
import type { JobManager } from './jobs/job-manager.js';
import type { MediaTools } from './media/media-tools.js';
import type { ChangeJournal } from './labels/change-journal.js';
import type { ClassService } from './labels/class-service.js';
import type { ClipService } from './labels/clip-service.js';
import type { VideoRepository } from './media/video-repository.js';
import type { Project } from './project/project.js';
import type { RecentProjects } from './project/recent-projects.js';
import type { TrainingEngine, TrainingService } from './classify/main/training-service.js';
import type { AnomalyEngine } from './anomaly/main/anomaly-engine.js';
import type { AnomalyTrainingService } from './anomaly/main/anomaly-training-service.js';

export interface CoreOptions {
  mode: AppMode;
  /** Where app-wide state (recent projects) lives; one folder per user. */
  userDataDir: string;
  /** better_sqlite3.node for the running ABI (Electron passes its own rebuild). */
  nativeBinding?: string;
  tools?: Partial<MediaTools>;
  /** Media jobs started by an import (posters, proxies) run in the background unless false. */
  backgroundMedia?: boolean;
  /** Runs training in this thread instead of a worker (tests that need no worker). */
  trainingEngine?: TrainingEngine;
  /**
   * Runs anomaly jobs here instead (tests: `inProcessAnomalyEngine`); otherwise `trainingEngine` when it
   * runs anomaly jobs too (a TrainingWorker), else the core's own worker.
   */
  anomalyEngine?: AnomalyEngine;
  /** Who is recorded as the author of labels and history entries; defaults to the OS user. */
  author?: string;
}

/** Everything that lives while one project is open. */
export interface ProjectSession {
  readonly project: Project;
  readonly jobs: JobManager;
  readonly videos: VideoRepository;
  /** Recorded as the author of labels and history entries. */
  readonly author: string;
  readonly labels: {
    readonly journal: ChangeJournal;
    readonly classes: ClassService;
    readonly clips: ClipService;
  };
  readonly training: TrainingService;
  readonly anomaly: AnomalyTrainingService;
}

/** What handlers need from the core, and nothing else. */
export interface CoreContext {
  readonly options: CoreOptions;
  readonly events: EventBus;
  readonly tools: MediaTools;
  readonly recent: RecentProjects;
  currentSession(): ProjectSession | null;
  openSession(project: Project): ProjectSession;
  closeSession(): Promise<void>;
  /** The learning engine (one worker thread per process, started on first use). */
  trainingEngine(): TrainingEngine;
}

export function requireSession(ctx: CoreContext): ProjectSession {
  const session = ctx.currentSession();
  if (!session) throw new ApiError('NO_PROJECT', 'Open or create a project first.');
  return session;
}
