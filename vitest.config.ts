import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The sealing key in a key file: tests never write into a developer's own keychain (the
    // keychain test brings its own, on a private D-Bus session).
    env: { TOKENSMITH_SECRET_KEY_STORE: 'file' },
  },
});
