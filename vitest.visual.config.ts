import { defineConfig } from 'vitest/config';
import { alias } from './vitest.config.js';

/** `npm run test:visual`: headless-Chromium checks of the report and charts (needs chromium). */
export default defineConfig({
  resolve: { alias },
  test: {
    include: ['test/visual/**/*.visual.ts'],
    pool: 'forks',
    testTimeout: 120_000,
  },
});
