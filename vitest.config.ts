import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests spawn ffmpeg and open SQLite files: two cores, so do not oversubscribe.
    maxWorkers: 2,
    retry: 0,
  },
});
