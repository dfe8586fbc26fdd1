import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      'hbsim/vitest': fileURLToPath(new URL('./src/vitest.ts', import.meta.url)),
      hbsim: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    exclude: ['test/soak/**'],
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
  },
});
