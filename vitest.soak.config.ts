import { defineConfig } from 'vitest/config';
import { alias } from './vitest.config.js';

/** `npm run soak`: long property runs, not part of `npm test`. */
export default defineConfig({
  resolve: { alias },
  test: { include: ['test/soak/**/*.soak.ts'], pool: 'forks', testTimeout: 600_000 },
});
