import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['amplify/**/*.test.ts', 'offline/**/*.test.ts', 'tests/**/*.test.ts', 'src/**/*.test.{ts,tsx}'],
    // One process per file: defineData is a process-wide singleton, so each synthesis test file
    // imports amplify/backend.ts in a fresh process.
    pool: 'forks',
    // A local CA trusted by the test processes (see the file).
    globalSetup: ['tests/setup/offline-ca.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
