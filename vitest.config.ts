import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** `hbsim`, `hbsim/vitest` and `hbsim/testing` resolve to the sources in tests (the CLI runs dist/). */
export const alias = {
  'hbsim/vitest': fileURLToPath(new URL('./src/vitest.ts', import.meta.url)),
  'hbsim/testing': fileURLToPath(new URL('./src/testing.ts', import.meta.url)),
  hbsim: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
  },
});
