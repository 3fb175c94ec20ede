import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // A migrated empty terminal database, made once and copied into each test's data directory.
    globalSetup: ['tests/support/global-setup.ts'],
    // PGlite boots a wasm PostgreSQL per test file; two cores cannot run many at once.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    // Every answer of every call is checked against the contract's declared output (dispatch.ts).
    env: { POS_CHECK_OUTPUTS: '1' },
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default, while Playwright's waits allow 30 s: a scan and
    // the line it adds took longer than 1 s when another file held both cores ("$116.00" read for
    // "$147.50"). A value that never comes still fails, 10 s later.
    expect: { poll: { timeout: 10_000 } },
    // Each test file runs in a process of its own: without this, every one transforms the same
    // few hundred TypeScript modules again. Kept under node_modules, so a new install starts clean.
    experimental: { fsModuleCache: true },
  },
});
