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
          fileParallelism: false,
        },
      },
    ],
  },
});
