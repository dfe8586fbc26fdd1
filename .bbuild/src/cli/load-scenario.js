/**
 * Loading a scenario module given on the command line: `.ts`, `.mts`, `.js` or `.mjs`.
 * TypeScript loads without a build step (tsx's ESM loader is registered on first use).
 * Every failure is an {@link HbsimConfigError} naming the file and what was expected.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HbsimConfigError } from '../errors.js';
import { normalizeScenario } from '../scenario.js';
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
let tsxRegistered = false;
/** The loaded module's default export, unvalidated. */
export async function importScenarioModule(file) {
    const path = resolve(file);
    if (!existsSync(path))
        throw new HbsimConfigError('scenario file', file, 'an existing .ts, .mts, .js or .mjs file', 'no such file');
    if (!statSync(path).isFile())
        throw new HbsimConfigError('scenario file', file, 'a file, not a directory');
    const ext = extname(path);
    if (!EXTENSIONS.includes(ext))
        throw new HbsimConfigError('scenario file', file, `a file ending in ${EXTENSIONS.join(', ')}`);
    if (!tsxRegistered) {
        const { register } = await import('tsx/esm/api');
        register();
        tsxRegistered = true;
    }
    let mod;
    try {
        mod = (await import(pathToFileURL(path).href));
    }
    catch (error) {
        if (error instanceof HbsimConfigError)
            throw error;
        const e = error;
        const first = String(e?.message ?? error).split('\n')[0];
        const wrapped = new HbsimConfigError('scenario file', file, 'a module that loads without errors', `could not be loaded: ${e?.name ?? 'Error'}: ${first}`);
        wrapped.cause = error;
        throw wrapped;
    }
    if (!('default' in mod) || mod['default'] === undefined) {
        throw new HbsimConfigError('scenario file', file, 'a default export: export default defineScenario({...})', 'has no default export');
    }
    return mod['default'];
}
/** Load and validate a scenario file; errors name the file. */
export async function loadScenario(file) {
    const value = await importScenarioModule(file);
    try {
        return normalizeScenario(value);
    }
    catch (error) {
        if (error instanceof HbsimConfigError) {
            const wrapped = new HbsimConfigError(`${file}: ${error.field}`, error.value, error.expected, error.message.slice(error.field.length + 2).replace(/, expected .*$/s, ''));
            wrapped.cause = error;
            throw wrapped;
        }
        throw error;
    }
}
