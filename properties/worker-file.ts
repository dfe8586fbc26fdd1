/**
 * Which file a worker thread loads: `name`.js beside the caller when hbsim runs built (dist/);
 * when it runs from its TypeScript sources under tsx (bench/, scripts), `name`-from-sources.mjs,
 * which registers tsx in the thread and loads the same sources (worker threads do not inherit
 * tsx's loader in Node 20, and a dist/ older than the sources would mix old and new code); under
 * vitest (tests, which `npm test` builds first), the built file `built` (relative to the caller).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function workerFile(callerUrl: string, name: string, built: string): string {
  const beside = fileURLToPath(new URL(`./${name}.js`, callerUrl));
  if (existsSync(beside)) return beside;
  if (process.execArgv.some((a) => /[\\/]tsx[\\/]/.test(a))) return fileURLToPath(new URL(`./${name}-from-sources.mjs`, callerUrl));
  return fileURLToPath(new URL(built, callerUrl));
}
