/**
 * App preferences: one set per user (not per project), kept main-side in the user-data folder and read and
 * changed through `prefs:get` / `prefs:set`. The schema is the contract's and the file's.
 */
import { z } from 'zod';

/** The TensorFlow.js backends the learning engine can run on, fastest first (the engine's BACKEND_NAMES). */
export const ENGINE_BACKENDS = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;
export type EngineBackend = (typeof ENGINE_BACKENDS)[number];

export const themeChoices = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof themeChoices)[number];
/** The palette the window shows: a `system` choice resolves to one of these. */
export type Theme = Exclude<ThemeChoice, 'system'>;

/** `auto`: the fastest backend that loads here; a name: that one first (VSSL_TF_BACKEND still overrides it). */
export const backendPreferences = ['auto', ...ENGINE_BACKENDS] as const;
export type BackendPreference = (typeof backendPreferences)[number];

/** Most CPU threads a training step may be split across on wasm and cpu (the train settings' own limit). */
export const MAX_CPU_THREADS = 64;

const prefFields = {
  theme: z.enum(themeChoices, { message: `The theme is one of ${themeChoices.join(', ')}.` }),
  backend: z.enum(backendPreferences, { message: `The backend is one of ${backendPreferences.join(', ')}.` }),
  /** Threads a wasm or cpu training step is split across when a run does not say (0: one per core). */
  cpuThreads: z
    .number()
    .int('CPU threads are a whole number.')
    .min(0, 'CPU threads are 0 (one per core) or more.')
    .max(MAX_CPU_THREADS, `At most ${MAX_CPU_THREADS} CPU threads.`),
  /**
   * Where projects created from now on keep their cache (decoded clips, thumbnails, checkpoints), each in a
   * folder of its own; null: in the project folder's cache/. Existing projects keep theirs.
   */
  cacheLocation: z
    .string()
    .max(4096, 'That path is too long.')
    .refine((p) => !p.includes('\0'), 'A path may not contain NUL characters.')
    .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'The cache location is an absolute path.')
    .nullable(),
};

export const DEFAULT_PREFS = {
  theme: 'system',
  backend: 'auto',
  cpuThreads: 0,
  cacheLocation: null,
} as const satisfies { [K in keyof typeof prefFields]: z.output<(typeof prefFields)[K]> };

/** The whole set, as `prefs:get` answers and the file holds. */
export const prefsSchema = z.object(prefFields).strict();

export type Prefs = z.output<typeof prefsSchema>;

/** `prefs:set` changes only the fields it names. */
export const prefsPatchSchema = prefsSchema.partial().strict();
export type PrefsPatch = z.input<typeof prefsPatchSchema>;

