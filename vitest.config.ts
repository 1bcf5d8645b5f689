import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Tests spawn real servers, emulators and sandboxes; on 2 cores they need headroom.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
