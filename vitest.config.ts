import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Three files at a time on two cores: with two, the cores sat idle while files waited on
    // child processes, servers and timers (a full run 1,136 s with two workers, 1,038 s with three).
    fileParallelism: true,
    maxWorkers: 3,
    testTimeout: 60_000,
    // Every answer of every call is checked against the contract's declared output (dispatch.ts).
    env: { POS_CHECK_OUTPUTS: '1' },
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default, while Playwright's waits allow 30 s: a scan and
    // the line it adds took longer than 1 s when another file held both cores ("$116.00" read for
    // "$147.50"). A value that never comes still fails, 10 s later.
    expect: { poll: { timeout: 10_000 } },
    // Transformed modules kept between runs, under node_modules, so a new install starts clean:
    // without it every run transforms the same few hundred TypeScript modules again.
    experimental: { fsModuleCache: true },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // Pure logic: the files share a process instead of each starting and importing its own
          // (about 0.3 s a file, most of what a unit file costs).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          // These files, too, share a process per worker: each imported the engine afresh (about
          // 2.5 s a file). What an engine keeps in memory is its own (store settings are cached
          // per database), and every file closes what it opens.
          isolate: false,
          // A migrated empty terminal database and the demo store, made once and copied into each
          // test's data directory, and the bundle child processes run from.
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
    ],
  },
});
