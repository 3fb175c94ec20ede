import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // PGlite boots a wasm PostgreSQL per test file; two cores cannot run many at once.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    // Every answer of every call is checked against the contract's declared output (dispatch.ts).
    env: { POS_CHECK_OUTPUTS: '1' },
    hookTimeout: 120_000,
  },
});
