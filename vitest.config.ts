import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'tests/unit/**/*.test.ts'],
    // The webgpu suite runs on its own (vitest.webgpu.config.ts): it needs a WebGPU adapter.
    exclude: ['**/node_modules/**', '**/*.webgpu.test.ts'],
    environment: 'node',
    // Integration tests spawn the CLI and ffmpeg as real processes; on two loaded cores that is slow.
    testTimeout: 90_000,
    hookTimeout: 30_000,
    // Tests spawn ffmpeg and open SQLite files: two cores, so do not oversubscribe.
    maxWorkers: 2,
    retry: 0,
  },
});
