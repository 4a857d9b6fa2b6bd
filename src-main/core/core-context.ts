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
import type { PrefsStore } from './prefs/prefs-store.js';
import type { TrainingService } from './classify/main/training-service.js';
import type { JobEngine } from './engine/job.js';
import type { AnomalyTrainingService } from './anomaly/main/anomaly-training-service.js';

export interface CoreOptions {
  mode: AppMode;
  /** Where app-wide state (preferences, recent projects) lives; one folder per user. */
  userDataDir: string;
  /** better_sqlite3.node for the running ABI (Electron passes its own rebuild). */
  nativeBinding?: string;
  tools?: Partial<MediaTools>;
  /** Media jobs started by an import (posters, proxies) run in the background unless false. */
  backgroundMedia?: boolean;
  /**
   * Runs the engine's jobs here instead of the core's own worker thread: tests run them in this thread
   * (`inProcessEngine(ENGINE_JOBS)`) or share one EngineWorker between projects.
   */
  engine?: JobEngine;
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
  readonly prefs: PrefsStore;
  currentSession(): ProjectSession | null;
  openSession(project: Project): ProjectSession;
  closeSession(): Promise<void>;
  /** The engine that runs training, prediction and scoring jobs (one worker thread per process, started on first use). */
  engine(): JobEngine;
}

export function requireSession(ctx: CoreContext): ProjectSession {
  const session = ctx.currentSession();
  if (!session) throw new ApiError('NO_PROJECT', 'Open or create a project first.');
  return session;
}
