import { defineConfig } from 'vitest/config';

/** `npm run test:e2e`: browser tests (Debian's Chromium through playwright-core) against the offline sandbox. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    pool: 'forks',
    // One browser scenario at a time: they are heavy on 2 cores, and each starts its own sandbox.
    fileParallelism: false,
    globalSetup: ['tests/setup/offline-ca.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
