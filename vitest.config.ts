import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Browser tests poll for what the page shows after a request (an upload read in the worker pool, a report
    // built): on a loaded two-core machine that takes seconds, not the default one.
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default'],
  },
});
