/**
 * The API contract: every method the renderer (or the CLI, or a script over HTTP) may call,
 * its params schema and its result type, and every event the core broadcasts.
 * The main side validates params against these schemas before any handler runs.
 */
import { z } from 'zod';
import { absolutePath } from './absolute-path.js';
import type {
  AppInfo,
  ClassDto,
  LicenceNotices,
  ClipDto,
  ClipPage,
  FsListing,
  HistoryEntryDto,
  HistoryState,
  LabelExportReport,
  LabelFormat,
  LabelImportReport,
  LabelStats,
  Segmentation,
  VideoTimingDto,
  JobDto,
  ProjectInfo,
  RecentProject,
  VideoDto,
  VideoRemovalPreview,
} from './dto.js';
import type {
  EpochMetrics,
  ModelExportReport,
  PredictionImportReport,
  PredictionPage,
  RunDto,
  RunMetricsDto,
  StepMetrics,
} from './run-dto.js';
import { modelExportFormats, predictionFormats, predictionImportFormats } from './run-dto.js';
import type { EvaluationClipDto, RunEvaluationDto } from './run-evaluation.js';
import type {
  BulkAcceptPreview,
  BulkAcceptReport,
  ReviewItem,
  ReviewQuality,
  ReviewQueuePage,
  ReviewSession,
  RoundDto,
} from './review.js';
import {
  bulkAcceptParamsSchema,
  reviewApplyParamsSchema,
  reviewQueueParamsSchema,
  reviewSessionSchema,
} from './review.js';
import type { MethodInfo, TrainingMethod, TrainSettings } from './training.js';
import { CLIP_VIEW_LIMITS, type ClipViewsDto } from './clip-views.js';
import type {
  AnomalyEpochDto,
  AnomalyEvalDto,
  AnomalyMarkDto,
  AnomalyMarkImportReport,
  AnomalyRunDto,
  AnomalyRunMetricsDto,
  AnomalyScoresDto,
  AnomalySettings,
  AnomalyStepDto,
  AnomalyVideoDto,
} from './anomaly.js';
import {
  anomalyMarkExportFormats,
  anomalyMarkKinds,
  anomalyMarkParamsSchema, anomalyScoreOptionsSchema, anomalySettingsSchema } from './anomaly.js';
import { trainingMethods, trainSettingsSchema } from './training.js';
import { prefsPatchSchema, type Prefs } from './prefs.js';
import { datasetExportParamsSchema } from './dataset-export.js';

/** A method: its params schema plus a phantom result type. */
export interface MethodDef<P extends z.ZodType, R> {
  params: P;
  /** Never read at run time: it only carries the result type. */
  result?: R;
}

function method<R>() {
  return <P extends z.ZodType>(params: P): MethodDef<P, R> => ({ params });
}

const none = z.object({}).strict();
const id = z.number().int().positive();
const frame = z.number().int().min(0);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour is written #rrggbb.');
const hotkey = z
  .string()
  .regex(/^[1-9a-z]$/, 'A hotkey is one key: 1–9 or a letter a–z.');
/** Label file formats (see LabelFormat). */
export const labelFormats = ['csv', 'kinetics', 'mmaction', 'activitynet', 'labelstudio'] as const satisfies readonly LabelFormat[];
const labelFormat = z.enum(labelFormats, { message: `The format is one of ${labelFormats.join(', ')}.` });
const frameRate = z.number().positive('A frame rate is above 0.').max(1000, 'That frame rate is too high.');
const className = z.string().trim().min(1, 'A class needs a name.').max(100, 'That name is too long.');

export const methods = {
  'app:info': method<AppInfo>()(none),
  /** The ffmpeg/ffprobe notice (GPL, with the source offer) and the licence texts, for an About panel. */
  'app:notices': method<LicenceNotices>()(none),

  'project:create': method<ProjectInfo>()(
    z.object({ path: absolutePath, name: z.string().trim().min(1).max(200).optional() }).strict(),
  ),
  /**
   * 'write' (the default) takes the project's lock and is refused with PROJECT_LOCKED while another
   * live process holds it; 'read' takes no lock and leaves jobs, runs and cache files alone.
   */
  'project:open': method<ProjectInfo>()(
    z.object({ path: absolutePath, access: z.enum(['read', 'write']).optional() }).strict(),
  ),
  'project:close': method<null>()(none),
  'project:current': method<ProjectInfo | null>()(none),
  'project:recent': method<RecentProject[]>()(none),
  /** Forgets one project in the recent list (the folder itself is left alone); answers the list. */
  'project:recent:remove': method<RecentProject[]>()(z.object({ path: absolutePath }).strict()),
  'project:recent:clear': method<RecentProject[]>()(none),

  /** The app's preferences (per user, not per project). */
  'prefs:get': method<Prefs>()(none),
  /** Changes the preferences it names, saves them and says prefs:changed; answers the whole set. */
  'prefs:set': method<Prefs>()(prefsPatchSchema),

  'videos:import': method<{ jobId: number }>()(
    z
      .object({
        paths: z.array(absolutePath).min(1, 'Choose at least one file or folder.').max(100_000),
        recursive: z.boolean().default(true),
      })
      .strict(),
  ),
  'videos:list': method<VideoDto[]>()(none),
  'videos:get': method<VideoDto>()(z.object({ id }).strict()),
  /**
   * Removes videos from the project with their clips, labels and anomaly marks, as one undoable
   * change (history:undo brings them back with their labels). Predictions and anomaly scores of
   * their clips are not kept. The files on disk are never touched.
   */
  'videos:remove': method<{ removed: number }>()(
    z.object({ ids: z.array(id).min(1).max(100_000) }).strict(),
  ),
  /** What videos:remove would take with it: clips, labels per class, predictions, anomaly marks. */
  'videos:remove:preview': method<VideoRemovalPreview>()(
    z.object({ ids: z.array(id).min(1).max(100_000) }).strict(),
  ),
  'videos:relink': method<VideoDto>()(z.object({ id, path: absolutePath }).strict()),

  'jobs:list': method<JobDto[]>()(none),
  'jobs:cancel': method<JobDto>()(z.object({ id }).strict()),
  'jobs:clear': method<{ removed: number }>()(none),

  'fs:list': method<FsListing>()(z.object({ path: absolutePath.optional() }).strict()),

  'classes:list': method<ClassDto[]>()(z.object({ includeArchived: z.boolean().default(true) }).strict()),
  'classes:create': method<ClassDto>()(
    z.object({ name: className, color: color.optional(), hotkey: hotkey.nullable().optional() }).strict(),
  ),
  'classes:update': method<ClassDto>()(
    z.object({ id, name: className.optional(), color: color.optional(), hotkey: hotkey.nullable().optional() }).strict(),
  ),
  'classes:reorder': method<ClassDto[]>()(z.object({ ids: z.array(id).min(1) }).strict()),
  'classes:archive': method<ClassDto>()(z.object({ id, archived: z.boolean() }).strict()),
  /** Moves every label of `sourceId` to `targetId`, then removes the source class. */
  'classes:merge': method<ClassDto>()(z.object({ sourceId: id, targetId: id }).strict()),
  /** Deleting a class with labels needs `confirmLabels` equal to its label count. */
  'classes:delete': method<{ removedLabels: number }>()(
    z.object({ id, confirmLabels: z.number().int().min(0).optional() }).strict(),
  ),

  'segmentation:get': method<Segmentation>()(none),
  'segmentation:set': method<Segmentation>()(
    z
      .object({
        windowSec: z.number().positive().max(3600),
        strideSec: z.number().positive().max(3600),
      })
      .strict(),
  ),

  'clips:list': method<ClipDto[]>()(z.object({ videoId: id }).strict()),
  /** Frame timing of a video, exact for variable frame rates: for the player's frame readout. */
  'clips:timing': method<VideoTimingDto>()(z.object({ videoId: id }).strict()),
  'clips:query': method<ClipPage>()(
    z
      .object({
        videoId: id.optional(),
        filter: z.enum(['all', 'unlabelled', 'labelled']).default('all'),
        classId: id.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(10_000).default(500),
      })
      .strict(),
  ),
  'clips:create': method<ClipDto>()(z.object({ videoId: id, startFrame: frame, endFrame: frame }).strict()),
  'clips:update': method<ClipDto>()(z.object({ id, startFrame: frame, endFrame: frame }).strict()),
  'clips:split': method<ClipDto[]>()(z.object({ id, frame }).strict()),
  'clips:merge': method<ClipDto>()(z.object({ ids: z.tuple([id, id]) }).strict()),
  'clips:delete': method<null>()(z.object({ id }).strict()),
  /**
   * The clip as the model sees it (decoded at `frames`×`size`×`size`, default the CPU input
   * 8×64×64) beside its MvPL views: temporal gradient and optical flow. Cached with the run's clips.
   */
  'clips:views': method<ClipViewsDto>()(
    z
      .object({
        id,
        frames: z
          .number()
          .int()
          .min(CLIP_VIEW_LIMITS.minFrames, `Views compare frames: ask for at least ${CLIP_VIEW_LIMITS.minFrames}.`)
          .max(CLIP_VIEW_LIMITS.maxFrames, `At most ${CLIP_VIEW_LIMITS.maxFrames} frames.`)
          .optional(),
        size: z
          .number()
          .int()
          .min(CLIP_VIEW_LIMITS.minSize, `The size is at least ${CLIP_VIEW_LIMITS.minSize} pixels.`)
          .max(CLIP_VIEW_LIMITS.maxSize, `The size is at most ${CLIP_VIEW_LIMITS.maxSize} pixels.`)
          .optional(),
      })
      .strict(),
  ),

  /** Gives the clip this class (replacing any other), or removes its label with null. */
  'labels:set': method<ClipDto>()(z.object({ clipId: id, classId: id.nullable() }).strict()),
  /** A class key: labels the clip, or removes the label when it already has this class. */
  'labels:toggle': method<ClipDto>()(z.object({ clipId: id, classId: id }).strict()),
  'labels:stats': method<LabelStats>()(none),

  'history:undo': method<HistoryState>()(none),
  'history:redo': method<HistoryState>()(none),
  'history:list': method<HistoryEntryDto[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
  ),

  /**
   * Reads a label file and applies every usable row as one undoable change; rows it cannot use
   * are reported with the reason. `dryRun` reports without writing. A file that is not the
   * format at all is refused (UNSUPPORTED) and nothing is written.
   */
  'labels:import': method<LabelImportReport>()(
    z
      .object({
        file: absolutePath,
        format: labelFormat,
        /** Create classes the project does not have yet (otherwise such rows are skipped). */
        newClasses: z.boolean().default(true),
        /** Replace labels a person (or review) put on a matched clip. */
        overwrite: z.boolean().default(false),
        dryRun: z.boolean().default(false),
        /** Label Studio: frame rate of tasks that carry none (default 24). */
        fps: frameRate.optional(),
        /** MMAction: the classes file (default: <list name>.classes.txt beside the list). */
        classesFile: absolutePath.optional(),
      })
      .strict(),
  ),
  /** Writes the project's labels (user segments and labelled clips) to a file. */
  'labels:export': method<LabelExportReport>()(
    z
      .object({
        file: absolutePath,
        format: labelFormat,
        /** Label Studio: write ranges at this frame rate instead of each video's own. */
        fps: frameRate.optional(),
        classesFile: absolutePath.optional(),
      })
      .strict(),
  ),

  /**
   * What the Train view offers: the methods with their defaults, the remembered flip choice,
   * whether a GPU backend is installed, and how many clips are labelled per class.
   */
  'train:options': method<TrainOptions>()(none),
  /** Starts a classification run on the project's labelled and unlabelled clips. */
  'train:start': method<RunDto>()(
    z.object({ settings: trainSettingsSchema, name: z.string().trim().min(1).max(200).optional() }).strict(),
  ),
  /** Continues a cancelled, failed or interrupted run from its last checkpoint. */
  'train:resume': method<RunDto>()(z.object({ runId: id }).strict()),
  'train:cancel': method<RunDto>()(z.object({ runId: id }).strict()),
  'runs:list': method<RunDto[]>()(none),
  'runs:get': method<RunDto>()(z.object({ id }).strict()),
  'runs:metrics': method<RunMetricsDto>()(z.object({ id }).strict()),
  /** The final model's confusion matrix and per-class precision, recall and F1 on the run's validation split. */
  'runs:evaluation': method<RunEvaluationDto>()(z.object({ id }).strict()),
  /** The validation clips of one confusion-matrix cell: true class A predicted as B. */
  'runs:evaluation:clips': method<EvaluationClipDto[]>()(
    z.object({ id, trueClassId: id, predictedClassId: id }).strict(),
  ),
  /** Removes a finished run with its metrics, predictions, checkpoints and model. */
  'runs:delete': method<null>()(z.object({ id }).strict()),
  /** Predicts every clip again with a finished run's model (e.g. with more MC-dropout passes). */
  'predict:start': method<RunDto>()(
    z.object({ runId: id, mcPasses: z.number().int().min(0).max(100).optional() }).strict(),
  ),
  'predictions:list': method<PredictionPage>()(
    z
      .object({
        runId: id,
        classId: id.optional(),
        /** Only clips of this video (the Label view's prediction lane). */
        videoId: id.optional(),
        /** Only clips without a label. */
        unlabelledOnly: z.boolean().default(false),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(10_000).default(500),
      })
      .strict(),
  ),
  /** Writes a run's predictions (default: the latest finished run) to a file. */
  'predictions:export': method<{ file: string; rows: number }>()(
    z
      .object({
        runId: id.optional(),
        file: absolutePath,
        format: z.enum(predictionFormats, { message: `The format is one of ${predictionFormats.join(', ')}.` }),
      })
      .strict(),
  ),
  /**
   * Reads predictions made elsewhere (our csv, ActivityNet results, Label Studio `predictions`) into
   * a new run of origin `imported`, reviewed like a trained one; labels are never touched. Entries it
   * cannot use are reported with the reason; with none usable, no run is created (`run` null).
   */
  'predictions:import': method<PredictionImportReport>()(
    z
      .object({
        file: absolutePath,
        format: z.enum(predictionImportFormats, { message: `The format is one of ${predictionImportFormats.join(', ')}.` }),
        /** Create classes the file names and the project lacks (otherwise those entries are skipped). */
        createClasses: z.boolean().default(false),
        name: z.string().trim().min(1).max(200).optional(),
        /** Label Studio: frame rate of tasks that carry none (default 24). */
        fps: frameRate.optional(),
      })
      .strict(),
  ),
  /** The review queue where the person left it (a new project: the latest run, least confidence first). */
  'review:session:get': method<ReviewSession>()(none),
  'review:session:set': method<ReviewSession>()(reviewSessionSchema.partial().strict()),
  /** A page of a run's predictions in acquisition order, each with the decision taken on it. */
  'review:queue': method<ReviewQueuePage>()(reviewQueueParamsSchema),
  /**
   * Accept, correct, reject or skip one predicted clip, as one undoable change (history:undo).
   * Accepted and corrected clips get a label with source `review`; a rejection stores "not this
   * class". A clip a person labelled is never changed by it (CONFLICT).
   */
  'review:apply': method<ReviewItem>()(reviewApplyParamsSchema),
  /** How many pending clips, per predicted class, a bulk accept at this confidence would label. */
  'review:bulk-preview': method<BulkAcceptPreview>()(bulkAcceptParamsSchema),
  'review:bulk-accept': method<BulkAcceptReport>()(bulkAcceptParamsSchema),
  /** Per-class acceptance and the reliability diagram of a run, from the review decisions. */
  'review:quality': method<ReviewQuality>()(z.object({ runId: id }).strict()),
  /**
   * Starts the next round: a run with the same settings (another method if named), learning from every
   * label now, from the run's trained weights (warmStart absent: when they fit; true: refused when they
   * do not; false: fresh weights).
   */
  'review:retrain': method<RunDto>()(
    z
      .object({
        runId: id,
        name: z.string().trim().min(1).max(200).optional(),
        method: z.enum(trainingMethods, { message: `The method is one of ${trainingMethods.join(', ')}.` }).optional(),
        warmStart: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Every classification run as a round of the loop: labels spent and validation accuracy. */
  'runs:rounds': method<RoundDto[]>()(none),
  /**
   * Starts a job that cuts every labelled clip to its own file in a new folder, with train/val lists
   * (the app's split), the classes and an MMAction2 config; the job's result is a DatasetExportSummary.
   */
  'dataset:export': method<{ jobId: number }>()(datasetExportParamsSchema),
  /**
   * Writes the run's model and metadata.json into a folder: the TF.js layers files (default), or an
   * ONNX graph (model.onnx, clips → class probabilities) with a README on running it with onnxruntime.
   */
  'models:export': method<ModelExportReport>()(
    z.object({ runId: id, dir: absolutePath, format: z.enum(modelExportFormats).default('tfjs') }).strict(),
  ),

  /** The anomaly settings' defaults, and how much footage is marked normal. */
  'anomaly:options': method<{ defaults: AnomalySettings; normal: { intervals: number; videos: number; frames: number } }>()(none),
  /**
   * Starts an anomaly run: SSMTL trained on the footage marked normal (marks of kind `normal`).
   * `normalVideoIds` first marks those whole videos normal (one undoable change).
   */
  'anomaly:train': method<AnomalyRunDto>()(
    z
      .object({
        settings: anomalySettingsSchema.default(anomalySettingsSchema.parse({})),
        name: z.string().trim().min(1).max(200).optional(),
        normalVideoIds: z.array(id).max(100_000).optional(),
      })
      .strict(),
  ),
  'anomaly:resume': method<AnomalyRunDto>()(z.object({ runId: id }).strict()),
  /** Cancels the run's training or scoring job. */
  'anomaly:cancel': method<AnomalyRunDto>()(z.object({ runId: id }).strict()),
  'anomaly:runs': method<AnomalyRunDto[]>()(none),
  'anomaly:run': method<AnomalyRunDto>()(z.object({ id }).strict()),
  'anomaly:metrics': method<AnomalyRunMetricsDto>()(z.object({ id }).strict()),
  /** Removes a run that is not busy, with its checkpoints, model and scores. */
  'anomaly:delete': method<null>()(z.object({ id }).strict()),
  /** Scores videos with a trained run (a job; each video's curve is stored when it is done). */
  'anomaly:score': method<JobDto>()(
    z
      .object({
        runId: id,
        videoIds: z.array(id).min(1, 'Choose at least one video to score.').max(100_000),
        options: anomalyScoreOptionsSchema.default(anomalyScoreOptionsSchema.parse({})),
      })
      .strict(),
  ),
  /** A video's stored curve from a run (NOT_FOUND when that run has not scored it). */
  'anomaly:scores': method<AnomalyScoresDto>()(z.object({ runId: id, videoId: id }).strict()),
  /** Every video of the project with its marks and, for a run, whether it is scored and its peak. */
  'anomaly:videos': method<AnomalyVideoDto[]>()(z.object({ runId: id.optional() }).strict()),
  'anomaly:marks:list': method<AnomalyMarkDto[]>()(
    z.object({ videoId: id.optional(), kind: z.enum(anomalyMarkKinds).optional() }).strict(),
  ),
  /** Marks frames of a video anomalous or normal (undoable with history:undo). */
  'anomaly:marks:add': method<AnomalyMarkDto>()(anomalyMarkParamsSchema),
  'anomaly:marks:update': method<AnomalyMarkDto>()(
    z
      .object({ id, startFrame: frame.optional(), endFrame: frame.optional(), kind: z.enum(anomalyMarkKinds).optional() })
      .strict(),
  ),
  'anomaly:marks:delete': method<null>()(z.object({ id }).strict()),
  /**
   * Imports ground truth as anomaly marks: a csv `path,start,end` of anomalous intervals in seconds,
   * or a per-frame 0/1 `.npy` / `.txt` for one video (`videoId`). One undoable change.
   */
  'anomaly:marks:import': method<AnomalyMarkImportReport>()(
    z.object({ file: absolutePath, videoId: id.optional() }).strict(),
  ),
  /**
   * Writes the anomaly marks: csv `path,start,end` (seconds) of the anomalous intervals, the format
   * the import reads, or json `{marks: [...]}` of every mark (both kinds) with frames and seconds.
   */
  'anomaly:marks:export': method<{ file: string; rows: number }>()(
    z
      .object({
        file: absolutePath,
        format: z
          .enum(anomalyMarkExportFormats, { message: `The format is one of ${anomalyMarkExportFormats.join(', ')}.` })
          .default('csv'),
      })
      .strict(),
  ),
  /** Frame-level micro and macro AUC of a run against the marks, or against a truth file. */
  'anomaly:eval': method<AnomalyEvalDto>()(
    z.object({ runId: id, truthFile: absolutePath.optional() }).strict(),
  ),
  /**
   * Writes an anomaly run's trained model (encoder and every head) and metadata.json into a folder:
   * TF.js layers files (default) or an ONNX graph (region tubes → heads and per-region scores).
   */
  'anomaly:model:export': method<ModelExportReport>()(
    z.object({ runId: id, dir: absolutePath, format: z.enum(modelExportFormats).default('tfjs') }).strict(),
  ),
  /** Writes a run's per-frame scores as csv `path,frame,time,score,x,y,w,h` (the box of the frame's top region). */
  'anomaly:export': method<{ file: string; rows: number }>()(z.object({ runId: id, file: absolutePath }).strict()),

  /** Native dialogs exist only on the desktop; web mode answers UNSUPPORTED. */
  /** The desktop's Save As dialog for an export; `path` is null when the person cancelled. Web mode answers UNSUPPORTED. */
  'dialog:save': method<{ path: string | null }>()(
    z
      .object({
        title: z.string().max(200).optional(),
        defaultPath: absolutePath.optional(),
        filters: z
          .array(z.object({ name: z.string().min(1).max(100), extensions: z.array(z.string().regex(/^[A-Za-z0-9*]{1,10}$/)).min(1).max(20) }).strict())
          .max(10)
          .optional(),
      })
      .strict(),
  ),
  'dialog:open': method<{ paths: string[] }>()(
    z
      .object({
        kind: z.enum(['folder', 'files', 'project']),
        title: z.string().max(200).optional(),
      })
      .strict(),
  ),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
export type ParsedParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = Exclude<Methods[M]['result'], undefined>;

export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(methods, value);
}

/** Events the core broadcasts to every connected UI. */
export interface EventMap {
  'job:updated': JobDto;
  'job:removed': { id: number };
  'videos:changed': { ids: number[] | null };
  'project:changed': ProjectInfo | null;
  'prefs:changed': Prefs;
  /** The recent projects list lost entries (Preferences › Recent projects). */
  'recent:changed': RecentProject[];
  /** Clips or labels of these videos changed (null: of any video). */
  'labels:changed': { videoIds: number[] | null };
  'classes:changed': Record<string, never>;
  /** A run was created, changed state or finished an epoch. */
  'runs:changed': RunDto;
  'runs:removed': { id: number };
  /** Live training progress (throttled). */
  'run:step': StepMetrics & { runId: number };
  'run:epoch': EpochMetrics & { runId: number };
  'anomaly:runs:changed': AnomalyRunDto;
  'anomaly:runs:removed': { id: number };
  /** Live anomaly training progress (throttled). */
  'anomaly:step': AnomalyStepDto & { runId: number };
  'anomaly:epoch': AnomalyEpochDto & { runId: number };
  /** A run stored a video's curve. */
  'anomaly:scored': { runId: number; videoId: number };
  /** Anomaly marks of these videos changed (null: of any video). */
  'anomaly:marks:changed': { videoIds: number[] | null };
}

export interface TrainBackend {
  /** node-gpu, webgpu, node, wasm or cpu. */
  name: string;
  /** Why this one, the GPU adapter it found, and why each faster backend did not load. */
  reason: string;
  /** It computes on a hardware GPU. */
  gpu: boolean;
}

export interface TrainOptions {
  methods: MethodInfo[];
  defaults: Record<TrainingMethod, TrainSettings>;
  /** The flip setting this project used last. */
  flip: boolean;
  /** What runs compute on here, as the engine found it; the defaults follow it (a GPU gets the larger input). */
  backend: TrainBackend;
  classes: { id: number; name: string; labelled: number }[];
  labelledClips: number;
  unlabelledClips: number;
}

export type EventName = keyof EventMap;

export const eventNames: readonly EventName[] = [
  'job:updated',
  'job:removed',
  'videos:changed',
  'project:changed',
  'prefs:changed',
  'recent:changed',
  'labels:changed',
  'classes:changed',
  'runs:changed',
  'runs:removed',
  'run:step',
  'run:epoch',
  'anomaly:runs:changed',
  'anomaly:runs:removed',
  'anomaly:step',
  'anomaly:epoch',
  'anomaly:scored',
  'anomaly:marks:changed',
];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value);
}

/** What both transports (IPC and HTTP/WebSocket) give the renderer. */
export interface Transport {
  invoke<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** URL the <video> element / <img> uses for a registered video's media. */
  mediaUrl(videoId: number, kind: MediaKind): string;
}

export type MediaKind = 'video' | 'poster';

/** Shape of `window.vssl`, exposed by the Electron preload. */
export interface PreloadBridge {
  invoke(method: string, params: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  mediaScheme: string;
  /** Where a file (or folder) dragged in from the desktop lies on disk (Electron's webUtils). A DOM File. */
  pathForFile(file: object): string;
}
