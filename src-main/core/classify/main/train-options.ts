import type { TrainBackend, TrainOptions } from '../../../shared/contract.js';
import {
  defaultTrainSettings,
  gpuInputSpec,
  methodInfo,
  trainingMethods,
  type TrainingMethod,
  type TrainSettings,
} from '../../../shared/training.js';
import type { Project } from '../../project/project.js';

const FLIP_KEY = 'train.flip';

export function rememberedFlip(project: Project): boolean {
  return project.meta(FLIP_KEY) !== 'false';
}

export function rememberFlip(project: Project, flip: boolean): void {
  project.db
    .prepare(`INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
    .run(FLIP_KEY, String(flip));
}

export function methodDefaults(project: Project, gpu: boolean): Record<TrainingMethod, TrainSettings> {
  const flip = rememberedFlip(project);
  const entries = trainingMethods.map((method) => {
    const settings: TrainSettings = { ...defaultTrainSettings(method), flip, ...(gpu ? gpuInputSpec : {}) };
    return [method, settings] as const;
  });
  return Object.fromEntries(entries) as Record<TrainingMethod, TrainSettings>;
}

/** The Train view's choices; `backend` is what the engine computes on here (probeBackend). */
export function trainOptions(project: Project, backend: TrainBackend): TrainOptions {
  const classes = project.db
    .prepare(
      `SELECT k.id, k.name,
              (SELECT COUNT(DISTINCT l.clip_id) FROM labels l WHERE l.class_id = k.id) AS labelled
       FROM classes k WHERE k.archived = 0 ORDER BY k.position, k.id`,
    )
    .all() as { id: number; name: string; labelled: number }[];
  const counts = project.db
    .prepare(
      `SELECT COUNT(*) AS total,
              SUM(CASE WHEN EXISTS (SELECT 1 FROM labels l WHERE l.clip_id = c.id) THEN 1 ELSE 0 END) AS labelled
       FROM clips c JOIN videos v ON v.id = c.video_id WHERE v.status = 'ready'`,
    )
    .get() as { total: number; labelled: number | null };
  return {
    methods: trainingMethods.map((m) => methodInfo[m]),
    defaults: methodDefaults(project, backend.gpu),
    flip: rememberedFlip(project),
    backend,
    classes,
    labelledClips: counts.labelled ?? 0,
    unlabelledClips: counts.total - (counts.labelled ?? 0),
  };
}
