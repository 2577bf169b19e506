import { defineConfig } from 'vitest/config';

const FUZZ = 'tests/e2e/fuzz.test.ts';
const FREEZE = 'tests/e2e/effects-freeze.test.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    globalSetup: ['./tests/support/word-vectors-setup.ts'],
    hookTimeout: 60_000,
    // End-to-end files each start an app and a database; two cores run two files at a time comfortably.
    maxWorkers: 2,
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['tests/**/*.test.ts'],
          exclude: [FUZZ, FREEZE],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Freezes a replica at a chosen moment (while it waits for the channel pacer): alone, so the moment
        // is the one chosen rather than wherever another file's load happens to put it.
        extends: true,
        test: { name: 'frozen replica', include: [FREEZE], sequence: { groupOrder: 1 } },
      },
      {
        // Twelve thousand requests keep both cores busy: run alone, after everything else, so tests that
        // time Slack's answers are not starved of CPU by them.
        extends: true,
        test: { name: 'hostile input', include: [FUZZ], sequence: { groupOrder: 2 } },
      },
    ],
  },
});
