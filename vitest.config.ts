import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure logic, no I/O, runs anywhere) and `integration`
// (`*.int.test.ts`: real Kafka + Redis, one of each per run via the global setup).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          // After the unit project: the fast feedback first, then the real broker.
          sequence: { groupOrder: 1 },
          include: ['packages/*/test/**/*.int.test.ts', 'services/*/test/**/*.int.test.ts', 'test/integration/**/*.int.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          // Shared broker: files run in parallel but each isolates by topic/group/key prefix.
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'faults',
          // `npm run test:faults`: long fault, load and security runs (real processes, killed on purpose).
          include: ['test/faults/**/*.fault.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          sequence: { groupOrder: 2 },
          testTimeout: 900_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
