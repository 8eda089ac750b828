import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['amplify/**/*.test.ts', 'offline/**/*.test.ts', 'tests/**/*.test.ts', 'src/**/*.test.{ts,tsx}'],
    // One process per file: defineData is a process-wide singleton, so each synthesis test file
    // imports amplify/backend.ts in a fresh process.
    pool: 'forks',
    // Two files at a time even on 2 cores (vitest's default there is one): most files wait on sandboxes, child processes
    // and sockets, so two in parallel take about half the time (npm test on this 2-core machine: 654 s with one, 324 s
    // with two). On more cores, vitest's own default (one less than the cores).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A local CA trusted by the test processes, and one scratch TMPDIR per run, removed at its end (see the files).
    globalSetup: ['tests/setup/offline-ca.ts', 'tests/setup/scratch-directory.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
