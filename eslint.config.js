// @ts-check
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Import boundaries: the renderer sees only the contract; nothing but the shell sees Electron. */
const rendererBoundary = {
  patterns: [
    {
      group: ['**/src-main/**', '!**/src-main/shared', '!**/src-main/shared/**'],
      message: 'The renderer may import only the shared API contract (src-main/shared).',
    },
    { group: ['node:*', 'electron', 'better-sqlite3'], message: 'The renderer runs in a browser sandbox.' },
  ],
};
/**
 * Stores are fed by the contract and feed the views: a store (or the lib under it) that imported a
 * feature would make the views' folders a dependency of the state they render. Flat config lets the
 * last matching block's options win, so this repeats the renderer boundary rather than adding to it.
 */
const stateBoundary = {
  patterns: [
    ...rendererBoundary.patterns,
    {
      group: ['**/features', '**/features/**'],
      message: 'Renderer stores and lib do not import features: move what they need to src-renderer/state or src-renderer/lib.',
    },
  ],
};
const electronPath = { name: 'electron', message: 'Only src-main/electron may import electron: core runs in plain Node.' };
const noElectron = { paths: [electronPath] };

/**
 * One engine, two pipelines (ARCHITECTURE.md): TensorFlow.js lives under a `worker/` folder, which only the
 * engine's worker thread loads. Everything else in src-main runs on the main thread (the Electron main
 * process, `vssl serve`, the CLI) and may import neither TensorFlow.js nor a `worker/` folder, types included:
 * a job's config and messages live beside the pipeline (classify/jobs.ts, anomaly/jobs.ts), not in its worker.
 */
const mainThreadPatterns = [
  { regex: '^@tensorflow/', message: 'The main thread never loads TensorFlow.js: move this code under a worker/ folder.' },
  {
    regex: '(^|/)worker/',
    message: 'Main-thread code may not import a worker/ folder: share types through the pipeline\'s jobs.ts, run work through the engine.',
  },
];
/** The engine knows neither pipeline: the pipelines plug into it (job kinds, runners, the epoch loop), never the reverse. */
const enginePatterns = [
  { regex: '(^|/)(classify|anomaly)/', message: 'core/engine knows no pipeline: pass what it needs in (a job kind, a runner, a callback).' },
  { regex: '(^|/)worker/engine-(jobs|worker)(\\.js)?$', message: 'core/engine knows no pipeline: the job list (core/worker) composes the pipelines.' },
];
const mainThread = { paths: [electronPath], patterns: mainThreadPatterns };
const engineMainThread = { paths: [electronPath], patterns: [...mainThreadPatterns, ...enginePatterns] };
const engineWorker = { paths: [electronPath], patterns: enginePatterns };
const sharedBoundary = {
  patterns: [
    {
      group: ['node:*', 'electron', 'better-sqlite3', '@tensorflow/*', '../core/**', '../server/**', '../cli/**', '../electron/**'],
      message: 'src-main/shared is the contract the renderer imports: no Node or main-process code.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.electron-native/**', 'bench/.data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.main.json', './tsconfig.node.json', './tsconfig.renderer.json'],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser },
      globals: { ...globals.browser },
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', rendererBoundary] },
  },
  {
    files: ['src-renderer/state/**', 'src-renderer/lib/**'],
    rules: { 'no-restricted-imports': ['error', stateBoundary] },
  },
  {
    files: ['src-main/core/**', 'src-main/server/**', 'src-main/cli/**'],
    rules: { 'no-restricted-imports': ['error', mainThread] },
  },
  {
    files: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: mainThreadPatterns }] },
  },
  {
    files: ['src-main/core/engine/**'],
    rules: { 'no-restricted-imports': ['error', engineMainThread] },
  },
  {
    // Worker-side code: TensorFlow.js allowed (flat config: the last matching block's options win).
    files: ['src-main/core/**/worker/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['src-main/core/engine/worker/**'],
    rules: { 'no-restricted-imports': ['error', engineWorker] },
  },
  {
    // Tests and their fixtures drive both sides (an in-process engine, a saved model): only Electron stays out.
    files: ['src-main/**/*.test.ts', 'src-main/**/*.fixture.ts'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['src-main/shared/**'],
    rules: { 'no-restricted-imports': ['error', sharedBoundary] },
  },
  {
    // Asymmetric matchers (expect.stringContaining, …) are typed `any` by vitest and Playwright.
    files: ['**/*.test.ts', 'tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
