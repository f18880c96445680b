import { defineConfig } from 'vitest/config';

// Two tiers run by `vitest run`: fast unit tests next to the code (`*.test.ts`), and integration
// tests (`*.int.test.ts`) that start real host processes against real SQLite files.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,main,app,renderer}/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', 'out/**'],
          environment: 'node',
          globalSetup: ['test/setup/vaultKey.ts'],
          // Property tests and scrypt are CPU-bound; the machines are shared, so allow for load.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{main,test}/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/vaultKey.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two files at a time: most of an integration test is waiting on other processes (sync over
          // WebRTC, kills, host start-up), and every network-namespace test builds its own namespaces
          // (`mlt<pid>-…`, main/testing/netns.ts), so files cannot see each other. Tests wait for
          // events, never for a time, so a busier machine makes them slower, not wrong.
          fileParallelism: true,
          maxWorkers: 2,
          // A project with its own maxWorkers runs as its own group: after the unit tests.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
