/**
 * docs/semantics.md is the users' list of the lifecycle rules: every rule ID a test pins must have
 * a row there (a rule the model implements but the users cannot look up is a hidden behaviour),
 * every row names a file of hbsim that exists, and the README points there, not to a file users
 * do not have.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = normalize(join(dirname(new URL(import.meta.url).pathname), '..', '..'));
const DOC = readFileSync(join(ROOT, 'docs', 'semantics.md'), 'utf8');
const RULE_ID = /^(?:[RTHSCX]\d+b?)$/;

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? testFiles(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Rule IDs that start a test's name: `test('S2 S4: ...')`, `test.each(...)('R8 cadence ...')`. */
function pinnedIds(): Set<string> {
  const ids = new Set<string>();
  for (const file of testFiles(join(ROOT, 'test'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:test|it)(?:\.each\([^)]*\))?\(\s*['`"]([^'`"]{1,200})/g)) {
      for (const word of m[1]!.split(/[\s:,]+/)) {
        if (RULE_ID.test(word)) ids.add(word);
        else break;
      }
    }
  }
  return ids;
}

/** IDs with a row of their own: `| S2 | ...`. */
function documentedIds(): Set<string> {
  return new Set([...DOC.matchAll(/^\| ([RTHSCX]\d+b?) \|/gm)].map((m) => m[1]!));
}

test('every rule ID a test pins has a row in docs/semantics.md', () => {
  const pinned = pinnedIds();
  expect(pinned.size).toBeGreaterThan(30);
  const missing = [...pinned].filter((id) => !documentedIds().has(id)).sort();
  expect(missing).toEqual([]);
});

test('every hbsim file a row of docs/semantics.md names exists', () => {
  const named = [...DOC.matchAll(/`((?:src|sim|properties|app)\/[\w/.-]+\.ts)`/g)].map((m) => m[1]!);
  expect(named.length).toBeGreaterThan(20);
  expect(named.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
});

test('the README links docs/semantics.md and never a SEMANTICS.md users do not have', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('(docs/semantics.md)');
  expect(readme).not.toContain('SEMANTICS.md');
});
