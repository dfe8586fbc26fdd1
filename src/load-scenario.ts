/**
 * Loading a scenario module given on the command line: `.ts`, `.mts`, `.js` or `.mjs`.
 * TypeScript loads without a build step (tsx's loaders are registered on first use: its ESM
 * loader, and its CommonJS one for projects without `"type": "module"`, where a `.ts` file is
 * CommonJS and its extensionless imports are `require()`d, as in Temporal's samples).
 * Every failure is an {@link HbsimConfigError} naming the file and what was expected.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HbsimConfigError } from './errors.js';

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
let tsxRegistered = false;

/** The loaded module's default export, unvalidated. */
export async function importScenarioModule(file: string): Promise<unknown> {
  const path = resolve(file);
  if (!existsSync(path)) throw new HbsimConfigError(file, file, 'an existing .ts, .mts, .js or .mjs file', 'no such file');
  if (!statSync(path).isFile()) throw new HbsimConfigError(file, file, 'a file, not a directory', 'is a directory');
  const ext = extname(path);
  if (!EXTENSIONS.includes(ext)) throw new HbsimConfigError(file, file, `a file ending in ${EXTENSIONS.join(', ')}`, 'not a module file');
  if (!tsxRegistered) {
    // Without the CommonJS hook, a .ts file of a CommonJS package fails in Node 20 with
    // "Cannot require() ES Module ... in a cycle", whatever its content.
    (await import('tsx/cjs/api')).register();
    (await import('tsx/esm/api')).register();
    tsxRegistered = true;
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof HbsimConfigError) throw error;
    const e = error as Error;
    const text = String(e?.message ?? error).split('\n');
    const first = text.find((l) => /ERROR:/.test(l))?.replace(/^.*?ERROR:\s*/, '') ?? text[0];
    const where = text.find((l) => /ERROR:/.test(l))?.match(/:(\d+:\d+): ERROR/)?.[1];
    const wrapped = new HbsimConfigError(file, file, 'a module that loads without errors', `could not be loaded: ${e?.name ?? 'Error'}${where ? ` at line ${where}` : ''}: ${first}`);
    (wrapped as { cause?: unknown }).cause = error;
    throw wrapped;
  }
  // A CommonJS module compiled from `export default` is imported as { default: module.exports }.
  const exported = mod['default'] as Record<string, unknown> | undefined;
  const scenario = exported !== null && typeof exported === 'object' && exported['__esModule'] === true ? exported['default'] : exported;
  if (scenario === undefined) {
    throw new HbsimConfigError(file, file, 'a default export: export default defineScenario({...})', 'has no default export');
  }
  return scenario;
}
