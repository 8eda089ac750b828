import { defineConfig } from 'vitest/config';

/** `npm run test:e2e`: browser tests (Debian's Chromium through playwright-core) against the offline sandbox. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    pool: 'forks',
    // One browser scenario at a time: they are heavy on 2 cores, and each starts its own sandbox.
    fileParallelism: false,
    // A local CA trusted by the test processes, and one scratch TMPDIR per run, removed at its end (see the files).
    globalSetup: ['tests/setup/offline-ca.ts', 'tests/setup/scratch-directory.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
