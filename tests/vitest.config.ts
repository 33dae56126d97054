import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    projects: [
      {
        test: {
          name: 'unit',
          root,
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          root,
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 60_000,
          // In CI one retry (as the browser tests): timing under load, not behaviour; twice is a failure.
          retry: process.env.CI ? 1 : 0,
          hookTimeout: 120_000,
          // One Meilisearch for the run; files use their own index names or run one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
