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
const noElectron = {
  paths: [{ name: 'electron', message: 'Only src-main/electron may import electron: core runs in plain Node.' }],
};
const sharedBoundary = {
  patterns: [
    {
      group: ['node:*', 'electron', 'better-sqlite3', '../core/**', '../server/**', '../cli/**', '../electron/**'],
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
