/**
 * The folders are layers, and imports point down only:
 *
 *   src/model/  pure lifecycle rules (sans-IO): imports nothing outside src/model/
 *   src/        options, scenario, errors, durations, the activity context: imports src/ only
 *   sim/        the deterministic runtime: imports src/ and sim/
 *   properties/ checkers and the fault search: imports src/, sim/, properties/
 *   app/        the CLI, bench and reports: may import anything above
 *
 * `src/index.ts` and `src/vitest.ts` are the package's public entry points: they re-export
 * from every layer and are the only files in src/ allowed to import upward.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = normalize(join(dirname(new URL(import.meta.url).pathname), '..', '..'));
const ENTRY_POINTS = new Set(['src/index.ts', 'src/vitest.ts', 'src/testing.ts']);

/** Which top-level layers a file in `layer` may import from. */
const ALLOWED: Record<string, readonly string[]> = {
  'src/model': ['src/model'],
  src: ['src/model', 'src'],
  sim: ['src/model', 'src', 'sim'],
  properties: ['src/model', 'src', 'sim', 'properties'],
  app: ['src/model', 'src', 'sim', 'properties', 'app'],
};

function layerOf(file: string): string | undefined {
  if (file.startsWith('src/model/')) return 'src/model';
  const top = file.split('/')[0]!;
  return top in ALLOWED ? top : undefined;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

/** Every relative import of `file`, as a path from the repository root. */
export function relativeImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    out.push(relative(ROOT, normalize(join(ROOT, dirname(file), m[1]!))));
  }
  return out;
}

function violations(): string[] {
  const found: string[] = [];
  for (const file of Object.keys(ALLOWED).filter((l) => !l.includes('/')).flatMap(sourceFiles)) {
    if (ENTRY_POINTS.has(file)) continue;
    const layer = layerOf(file)!;
    for (const target of relativeImports(file, readFileSync(join(ROOT, file), 'utf8'))) {
      const to = layerOf(target);
      if (to === undefined || !ALLOWED[layer]!.includes(to)) found.push(`${file} (${layer}) imports ${target} (${to ?? 'outside the layers'})`);
    }
  }
  return found;
}

describe('layers', () => {
  test('every import points down (src/model < src < sim < properties < app)', () => {
    expect(violations()).toEqual([]);
  });

  test('the check can fail: an upward import is found', () => {
    const imports = relativeImports('sim/simulation.ts', "import { x } from '../app/cli/main.js';");
    expect(imports).toEqual(['app/cli/main.js']);
    expect(ALLOWED[layerOf('sim/simulation.ts')!]).not.toContain(layerOf(imports[0]!));
  });
});
