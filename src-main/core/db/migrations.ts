import type { Database } from 'better-sqlite3';

export interface Migration {
  /** The `PRAGMA user_version` this migration brings the database to. */
  version: number;
  description: string;
  up(db: Database): void;
}

/**
 * Ordered list of schema changes. Never edit a released migration: add a new one.
 * Each runs in its own transaction together with the user_version bump.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'projects, videos and jobs',
    up(db) {
      db.exec(`
        CREATE TABLE project_meta (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );

        CREATE TABLE videos (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          hash TEXT,
          size INTEGER,
          mtime_ms REAL,
          status TEXT NOT NULL CHECK (status IN ('ready', 'processing', 'failed', 'missing')),
          error TEXT,
          duration_sec REAL,
          frame_count INTEGER,
          avg_frame_rate TEXT,
          real_frame_rate TEXT,
          fps REAL,
          start_time REAL,
          width INTEGER,
          height INTEGER,
          codec TEXT,
          pixel_format TEXT,
          container TEXT,
          rotation INTEGER NOT NULL DEFAULT 0,
          has_audio INTEGER NOT NULL DEFAULT 0,
          playable INTEGER NOT NULL DEFAULT 0,
          proxy_state TEXT NOT NULL DEFAULT 'none'
            CHECK (proxy_state IN ('none', 'pending', 'ready', 'failed')),
          proxy_path TEXT,
          poster_path TEXT,
          probe_json TEXT,
          imported_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX videos_hash ON videos (hash);
        CREATE INDEX videos_name ON videos (name COLLATE NOCASE);

        CREATE TABLE jobs (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          title TEXT NOT NULL,
          state TEXT NOT NULL
            CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
          progress REAL,
          message TEXT NOT NULL DEFAULT '',
          error TEXT,
          result_json TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          finished_at TEXT
        );
      `);
    },
  },
  {
    version: 2,
    description: 'classes, clips, labels and the change history',
    up(db) {
      db.exec(`
        CREATE TABLE classes (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          color TEXT NOT NULL,
          hotkey TEXT,
          position INTEGER NOT NULL,
          archived INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX classes_name ON classes (name COLLATE NOCASE);
        CREATE UNIQUE INDEX classes_hotkey ON classes (hotkey) WHERE hotkey IS NOT NULL;

        -- A clip is the unit that gets a label: frames [start_frame, end_frame) of one video,
        -- 0-based, with the same interval in seconds from the video's first frame.
        CREATE TABLE clips (
          id INTEGER PRIMARY KEY,
          video_id INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
          start_frame INTEGER NOT NULL,
          end_frame INTEGER NOT NULL,
          start_sec REAL NOT NULL,
          end_sec REAL NOT NULL,
          origin TEXT NOT NULL CHECK (origin IN ('auto', 'user')),
          created_at TEXT NOT NULL,
          CHECK (start_frame >= 0 AND end_frame > start_frame)
        );
        CREATE INDEX clips_video ON clips (video_id, start_frame);

        -- One row per (clip, class): single-label today, room for multi-label later.
        CREATE TABLE labels (
          id INTEGER PRIMARY KEY,
          clip_id INTEGER NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
          class_id INTEGER NOT NULL REFERENCES classes (id),
          source TEXT NOT NULL CHECK (source IN ('human', 'review', 'import')),
          author TEXT NOT NULL,
          created_at TEXT NOT NULL,
          UNIQUE (clip_id, class_id)
        );
        CREATE INDEX labels_class ON labels (class_id);

        -- Every change to classes, clips and labels, with the rows before and after: the audit
        -- trail and the undo/redo stack, which therefore survive a restart.
        CREATE TABLE history (
          id INTEGER PRIMARY KEY,
          action TEXT NOT NULL,
          description TEXT NOT NULL,
          changes_json TEXT NOT NULL,
          author TEXT NOT NULL,
          created_at TEXT NOT NULL,
          undone INTEGER NOT NULL DEFAULT 0
        );

        -- The window/stride the video's automatic clips were cut with; NULL = not cut yet.
        ALTER TABLE videos ADD COLUMN segmentation TEXT;
      `);
    },
  },
  {
    version: 3,
    description: 'training runs, their metrics, predictions and exported models',
    up(db) {
      db.exec(`
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('classify', 'anomaly')),
          name TEXT NOT NULL,
          method TEXT NOT NULL,
          settings_json TEXT NOT NULL,
          -- The classes in model output order, and how many clips each split had.
          classes_json TEXT NOT NULL,
          dataset_json TEXT NOT NULL,
          status TEXT NOT NULL
            CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
          error TEXT,
          job_id INTEGER,
          backend TEXT,
          backend_reason TEXT,
          epochs_done INTEGER NOT NULL DEFAULT 0,
          has_model INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          started_at TEXT,
          finished_at TEXT
        );

        -- Epoch metrics (step IS the step count at the epoch's end) and throttled step samples.
        CREATE TABLE metrics (
          run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          epoch INTEGER NOT NULL,
          step INTEGER NOT NULL,
          name TEXT NOT NULL,
          value REAL
        );
        CREATE INDEX metrics_run ON metrics (run_id, name, step);

        -- Probabilities are float32 arrays in the run's class order.
        CREATE TABLE predictions (
          run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          clip_id INTEGER NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
          class_id INTEGER NOT NULL,
          confidence REAL NOT NULL,
          margin REAL NOT NULL,
          entropy REAL NOT NULL,
          uncertainty REAL,
          probs BLOB NOT NULL,
          mc_mean BLOB,
          mc_std BLOB,
          PRIMARY KEY (run_id, clip_id)
        ) WITHOUT ROWID;
        CREATE INDEX predictions_clip ON predictions (clip_id);

        CREATE TABLE models (
          id INTEGER PRIMARY KEY,
          run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
          dir TEXT NOT NULL,
          metadata_json TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 4,
    description: 'review decisions, negative labels, BALD and rounds of the active-learning loop',
    up(db) {
      db.exec(`
        -- "Not class c": ruled out by a person in review (X), or imported. Learning methods may
        -- use them (negative learning); a clip can have several.
        CREATE TABLE negative_labels (
          id INTEGER PRIMARY KEY,
          clip_id INTEGER NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
          class_id INTEGER NOT NULL REFERENCES classes (id),
          source TEXT NOT NULL CHECK (source IN ('human', 'review', 'import')),
          author TEXT NOT NULL,
          created_at TEXT NOT NULL,
          UNIQUE (clip_id, class_id)
        );
        CREATE INDEX negative_labels_class ON negative_labels (class_id);

        -- Every review decision with the prediction it was about (kept when the run is deleted,
        -- so the record of what people decided stays).
        CREATE TABLE reviews (
          id INTEGER PRIMARY KEY,
          run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
          clip_id INTEGER NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
          action TEXT NOT NULL CHECK (action IN ('accept', 'correct', 'reject', 'skip')),
          predicted_class_id INTEGER NOT NULL,
          confidence REAL NOT NULL,
          -- accept/correct: the label given; reject: the class ruled out; skip: NULL.
          class_id INTEGER,
          author TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE INDEX reviews_run_clip ON reviews (run_id, clip_id);
        CREATE INDEX reviews_clip ON reviews (clip_id);

        -- BALD: entropy of the MC mean minus the mean entropy of the MC passes.
        ALTER TABLE predictions ADD COLUMN mutual_info REAL;
        -- The run this one retrained from (the previous round of the loop).
        ALTER TABLE runs ADD COLUMN parent_run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL;
      `);
    },
  },
  {
    version: 5,
    description: 'anomaly detection: SSMTL runs, their metrics, per-frame scores and marks',
    up(db) {
      db.exec(`
        CREATE TABLE anomaly_runs (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          settings_json TEXT NOT NULL,
          -- The footage it learnt as normal: [{ videoId, path, startFrame, endFrame }].
          normal_json TEXT NOT NULL,
          status TEXT NOT NULL
            CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
          error TEXT,
          job_id INTEGER,
          backend TEXT,
          backend_reason TEXT,
          epochs_done INTEGER NOT NULL DEFAULT 0,
          -- Tubes kept / seen, windows with motion / on the grid (null until read).
          tubes_json TEXT,
          has_model INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          started_at TEXT,
          finished_at TEXT
        );

        -- kind 'epoch': AnomalyEpochDto; kind 'step': throttled AnomalyStepDto samples.
        CREATE TABLE anomaly_metrics (
          run_id INTEGER NOT NULL REFERENCES anomaly_runs (id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('epoch', 'step')),
          epoch INTEGER NOT NULL,
          step INTEGER NOT NULL,
          metrics_json TEXT NOT NULL
        );
        CREATE INDEX anomaly_metrics_run ON anomaly_metrics (run_id, kind, step);

        -- Curves are little-endian float32 arrays of frame_count values; per_task holds one per
        -- task, concatenated in the order of tasks_json.
        CREATE TABLE anomaly_scores (
          id INTEGER PRIMARY KEY,
          run_id INTEGER NOT NULL REFERENCES anomaly_runs (id) ON DELETE CASCADE,
          video_id INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
          frame_count INTEGER NOT NULL,
          fps REAL,
          scores BLOB NOT NULL,
          raw BLOB NOT NULL,
          tasks_json TEXT NOT NULL,
          per_task BLOB NOT NULL,
          options_json TEXT NOT NULL,
          regions_scored INTEGER NOT NULL,
          motion_windows INTEGER NOT NULL,
          grid_windows INTEGER NOT NULL,
          min_score REAL NOT NULL,
          max_score REAL NOT NULL,
          seconds REAL NOT NULL,
          scored_at TEXT NOT NULL,
          UNIQUE (run_id, video_id)
        );
        CREATE INDEX anomaly_scores_video ON anomaly_scores (video_id);

        -- Frames [start_frame, end_frame) marked anomalous or normal: the normal footage runs
        -- train on, and the ground truth runs are evaluated against.
        CREATE TABLE anomaly_marks (
          id INTEGER PRIMARY KEY,
          video_id INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
          start_frame INTEGER NOT NULL CHECK (start_frame >= 0),
          end_frame INTEGER NOT NULL CHECK (end_frame > start_frame),
          kind TEXT NOT NULL CHECK (kind IN ('anomaly', 'normal')),
          source TEXT NOT NULL CHECK (source IN ('human', 'import')),
          author TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE INDEX anomaly_marks_video ON anomaly_marks (video_id, start_frame);
      `);
    },
  },
  {
    version: 6,
    description: 'runs imported from another tool\'s prediction file',
    up(db) {
      db.exec(`
        -- 'trained': a model of this app made the predictions; 'imported': a prediction file did
        -- (no model, no settings: settings_json is '{}'), and source_* say which file.
        ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT 'trained' CHECK (origin IN ('trained', 'imported'));
        ALTER TABLE runs ADD COLUMN source_file TEXT;
        ALTER TABLE runs ADD COLUMN source_format TEXT;
      `);
    },
  },
  {
    version: 7,
    description: "per-class evaluation: each run's validation clips with their true and predicted class",
    up(db) {
      db.exec(`
        -- Written when a run's training ends, from the final model's predictions; the confusion matrix
        -- and per-class scores are derived from it. No foreign key to clips: the evaluation stays as
        -- computed when a clip leaves the project (its row then lists nothing to open).
        CREATE TABLE run_validation (
          run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          clip_id INTEGER NOT NULL,
          true_class_id INTEGER NOT NULL,
          predicted_class_id INTEGER NOT NULL,
          confidence REAL NOT NULL,
          PRIMARY KEY (run_id, clip_id)
        );
        -- Set with the rows above; null for runs trained before this version (or not finished).
        ALTER TABLE runs ADD COLUMN evaluated_at TEXT;
      `);
    },
  },
  {
    version: 8,
    description: 'anomaly region boxes: per frame, the box of the region that made its score',
    up(db) {
      db.exec(`
        -- Little-endian int16 x, y, w, h per frame in the pixels of a box_width x box_height picture (the
        -- video as a player shows it; -1 four times where no region scored the frame); all three null
        -- for curves scored before this version.
        ALTER TABLE anomaly_scores ADD COLUMN boxes BLOB;
        ALTER TABLE anomaly_scores ADD COLUMN box_width INTEGER;
        ALTER TABLE anomaly_scores ADD COLUMN box_height INTEGER;
      `);
    },
  },
  {
    version: 9,
    description: 'why a run stopped training (plateau, ceiling, fixed epochs, cancelled), with its watched metric and best epoch',
    up(db) {
      db.exec(`
        -- The RunStop of shared/training-budget.ts as JSON; null while a run trains, and for runs from before this version.
        ALTER TABLE runs ADD COLUMN stop_json TEXT;
      `);
    },
  },
  {
    version: 10,
    description: 'active-learning rounds: penultimate features of predictions (BADGE), and the run a round warm-started from',
    up(db) {
      db.exec(`
        -- The clip's features before the class layer (float32), for acquisition by diversity; null for
        -- imported runs and runs predicted before this version.
        ALTER TABLE predictions ADD COLUMN features BLOB;
        -- The run whose trained weights this run started from (a round of the review loop); null: fresh weights.
        ALTER TABLE runs ADD COLUMN warm_start_run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL;
      `);
    },
  },
];

export const latestSchemaVersion = migrations.reduce((max, m) => Math.max(max, m.version), 0);
