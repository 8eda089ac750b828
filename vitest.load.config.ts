import { defineConfig } from 'vitest/config';

/**
 * `npm run test:load`: sustained load against the offline sandbox (tests/load/*.load.ts). Each file starts the sandbox
 * CLI as a child process; one file at a time, since a load run wants the machine's two cores to itself.
 */
export default defineConfig({
  test: {
    include: ['tests/load/**/*.load.ts'],
    pool: 'forks',
    fileParallelism: false,
    // A local CA trusted by the test processes, and one scratch TMPDIR per run, removed at its end (see the files).
    globalSetup: ['tests/setup/offline-ca.ts', 'tests/setup/scratch-directory.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
