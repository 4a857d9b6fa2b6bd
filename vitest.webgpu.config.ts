import { defineConfig } from 'vitest/config';

/**
 * The suite forced onto the webgpu backend (`*.webgpu.test.ts`): each test computes on Dawn's adapter (a real
 * GPU, or Mesa's lavapipe in CI) and compares with the cpu backend. One file at a time: they share the adapter.
 */
export default defineConfig({
  test: {
    include: ['src-main/**/*.webgpu.test.ts', 'tests/unit/**/*.webgpu.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
    fileParallelism: false,
    retry: 0,
  },
});
