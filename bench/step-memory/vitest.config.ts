import { defineConfig } from 'vitest/config';

/** The step-memory bench runs on its own: `npx vitest run --config bench/step-memory/vitest.config.ts`. */
export default defineConfig({ test: { include: ['bench/step-memory/*.test.ts'], environment: 'node', testTimeout: 1_800_000, maxWorkers: 1 } });
