import os from 'node:os';
import path from 'node:path';
import { isMethodName, methods, type MethodName, type ParamsOf, type ResultOf } from '../shared/contract.js';
import type { MediaKind } from '../shared/contract.js';
import { ApiError, capText, type Envelope } from '../shared/errors.js';
import { anomalyDataHandlers, markServiceFor } from './anomaly/main/anomaly-data-handlers.js';
import { anomalyRunHandlers } from './anomaly/main/anomaly-run-handlers.js';
import { AnomalyTrainingService } from './anomaly/main/anomaly-training-service.js';
import { appHandlers } from './api/app-handlers.js';
import { clipViewsHandlers } from './classify/main/clip-views/clip-views-handlers.js';
import type { Handler, Handlers } from './api/handler-types.js';
import type { CoreContext, CoreOptions, ProjectSession } from './core-context.js';
import { requireSession } from './core-context.js';
import { EventBus } from './events.js';
import { fsHandlers } from './fs/fs-handlers.js';
import { ChangeJournal } from './labels/change-journal.js';
import { ClassService } from './labels/class-service.js';
import { ClipService } from './labels/clip-service.js';
import { VideoTimings } from './labels/frame-times.js';
import { labelHandlers } from './labels/label-handlers.js';
import { labelTransferHandlers } from './labels/label-transfer-handlers.js';
import { jobHandlers } from './jobs/job-handlers.js';
import { JobManager } from './jobs/job-manager.js';
import { JobRepository } from './jobs/job-repository.js';
import { resolveMediaFile, type MediaFile } from './media/media-file.js';
import { presenceChecked, startMediaSession, startReaderSession } from './media/media-session.js';
import { resolveMediaTools, type MediaTools } from './media/media-tools.js';
import { videoHandlers } from './media/video-handlers.js';
import { VideoRepository } from './media/video-repository.js';
import { projectHandlers } from './project/project-handlers.js';
import type { Project } from './project/project.js';
import { RecentProjects } from './project/recent-projects.js';
import { prefsHandlers } from './prefs/prefs-handlers.js';
import { PrefsStore } from './prefs/prefs-store.js';
import { reviewHandlers } from './review/review-handlers.js';
import type { EngineWorker } from './engine/main/engine-worker-client.js';
import { PreferredBackendEngine } from './engine/main/preferred-backend-engine.js';
import type { JobEngine } from './engine/job.js';
import { createEngineWorker } from './engine-worker-script.js';
import { runHandlers } from './classify/main/run-handlers.js';
import { datasetExportHandlers } from './classify/main/dataset-export/dataset-export-handlers.js';
import { TrainingService } from './classify/main/training-service.js';

export type { CoreOptions } from './core-context.js';

export function defaultUserDataDir(): string {
  if (process.env.VSSL_USER_DATA) return process.env.VSSL_USER_DATA;
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'VSSL Studio');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'VSSL Studio');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'vssl-studio');
}

/**
 * The application core: every behaviour of the app behind one typed, validated entry point.
 * The Electron shell, the web server and the CLI are thin adapters over `invoke`/`call`.
 */
export class Core {
  readonly events = new EventBus();
  readonly tools: MediaTools;
  /** The app's preferences (user-data folder); the Electron shell follows the theme. */
  readonly prefs: PrefsStore;
  private session: ProjectSession | null = null;
  private worker: EngineWorker | null = null;
  private preferring: PreferredBackendEngine | null = null;
  private readonly handlers: Handlers;
  private readonly ctx: CoreContext;

  constructor(readonly options: CoreOptions) {
    this.tools = resolveMediaTools(options.tools);
    this.prefs = new PrefsStore(options.userDataDir);
    this.ctx = {
      options,
      events: this.events,
      tools: this.tools,
      recent: new RecentProjects(options.userDataDir),
      prefs: this.prefs,
      currentSession: () => this.session,
      openSession: (project) => this.openSession(project),
      closeSession: () => this.closeSession(),
      engine: () => this.engine(),
    };
    this.handlers = {
      ...appHandlers(this.ctx),
      ...projectHandlers(this.ctx),
      ...prefsHandlers(this.ctx),
      ...videoHandlers(this.ctx),
      ...jobHandlers(this.ctx),
      ...fsHandlers(),
      ...labelHandlers(this.ctx),
      ...clipViewsHandlers(this.ctx),
      ...labelTransferHandlers(this.ctx),
      ...runHandlers(this.ctx),
      ...datasetExportHandlers(this.ctx),
      ...reviewHandlers(this.ctx),
      ...anomalyRunHandlers(this.ctx),
      ...anomalyDataHandlers(this.ctx),
    };
  }

  /** Entry point for values from outside (IPC, HTTP): validates, runs, answers with an envelope. */
  async invoke(method: unknown, rawParams: unknown): Promise<Envelope<unknown>> {
    try {
      if (!isMethodName(method)) {
        const name = typeof method === 'string' ? capText(method) : method;
        throw new ApiError('UNKNOWN_METHOD', `There is no method called ${JSON.stringify(name)}.`);
      }
      return { result: await this.dispatch(method, rawParams ?? {}) };
    } catch (err) {
      return { error: toApiErrorShape(err) };
    }
  }

  /** Typed entry point for in-process callers (CLI, tests): throws ApiError on failure. */
  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return this.dispatch(method, params);
  }

  /** Lets an adapter supply a host-specific behaviour (the desktop's native dialogs). */
  setHandler<M extends MethodName>(method: M, handler: Handler<M>): void {
    (this.handlers as Record<MethodName, unknown>)[method] = handler;
  }

  mediaFile(videoId: number, kind: MediaKind): MediaFile {
    return resolveMediaFile(requireSession(this.ctx), videoId, kind);
  }

  currentSession(): ProjectSession | null {
    return this.session;
  }

  /** Settles when the open project's missing-file check is done (at once with no project open). */
  async presenceChecked(): Promise<void> {
    if (this.session) await presenceChecked(this.session);
  }

  async close(): Promise<void> {
    await this.closeSession();
    await this.worker?.terminate();
    this.worker = null;
  }

  /**
   * The given engine, or the core's own worker thread (one per process, see EngineWorker); with a preferred
   * backend, one that asks for it in every job (the same object while the preference stays, so what was
   * learned about it, such as the backend check, is kept).
   */
  private engine(): JobEngine {
    const base = this.options.engine ?? (this.worker ??= createEngineWorker());
    const { backend } = this.prefs.get();
    if (backend === 'auto') return base;
    if (this.preferring?.preferred !== backend) this.preferring = new PreferredBackendEngine(base, backend);
    return this.preferring;
  }

  private async dispatch<M extends MethodName>(method: M, rawParams: unknown): Promise<ResultOf<M>> {
    const parsed = methods[method].params.safeParse(rawParams);
    if (!parsed.success) {
      const detail = parsed.error.issues
        // Issues quote the input (an unknown key, say); a huge input must not come back whole.
        .map((issue) => capText(issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('; ');
      throw new ApiError('INVALID_PARAMS', `Invalid parameters for ${method}: ${detail}`);
    }
    const handler = this.handlers[method] as Handler<M>;
    return handler(parsed.data as Parameters<Handler<M>>[0]);
  }

  /**
   * Only a writer (it holds the project's lock, so no other live process is using the project)
   * marks what was queued or running as interrupted and cleans the cache; a reader leaves both
   * alone, since the lock's holder may be running those jobs right now.
   */
  private openSession(project: Project): ProjectSession {
    const writer = project.access === 'write';
    const jobsRepository = new JobRepository(project.db);
    if (writer) jobsRepository.markInterrupted();
    const videos = new VideoRepository(project.db);
    const author = this.options.author ?? defaultAuthor();
    const journal = new ChangeJournal(project.db, author);
    const jobs = new JobManager(jobsRepository, this.events);
    const clips = new ClipService(project.db, videos, journal, author, new VideoTimings(project, this.tools));
    const training = new TrainingService({
      project,
      jobs,
      clips,
      events: this.events,
      tools: this.tools,
      engine: () => this.engine(),
    });
    if (writer) training.runs.markInterrupted();
    const anomaly = new AnomalyTrainingService({
      project,
      jobs,
      events: this.events,
      tools: this.tools,
      videos,
      clips,
      marks: () => markServiceFor(session, this.events),
      engine: () => this.engine(),
    });
    if (writer) anomaly.runs.markInterrupted();
    const session: ProjectSession = {
      project,
      jobs,
      videos,
      author,
      labels: { journal, classes: new ClassService(project.db, journal), clips },
      training,
      anomaly,
    };
    this.session = session;
    if (writer) startMediaSession(this.ctx, session);
    else startReaderSession(this.ctx, session);
    return session;
  }

  private async closeSession(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    await session.jobs.shutdown();
    session.project.close();
  }
}

function defaultAuthor(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Longest error message an envelope carries (several capped quotes fit). */
const MAX_ERROR_CHARS = 2000;

function toApiErrorShape(err: unknown): { code: ApiError['code']; message: string } {
  // The last guard: whatever a message quotes, the answer stays small.
  if (err instanceof ApiError) return { code: err.code, message: capText(err.message, MAX_ERROR_CHARS) };
  console.error(err);
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: capText(`Unexpected error: ${message}`, MAX_ERROR_CHARS) };
}
