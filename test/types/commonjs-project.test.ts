/**
 * A CommonJS TypeScript project (no "type": "module", as Temporal's samples are, with their
 * tsconfig's module node16 or the classic commonjs/node10) type-checks its hbsim scenario the way
 * the README says: with module commonjs (moduleResolution node10) a `.ts` scenario that imports
 * hbsim, hbsim/vitest and hbsim/testing (package.json `types` and `typesVersions`: without them
 * tsc found no declarations, TS2307); with module node16 a `.mts` scenario (a `.ts` one gets
 * TS1479, which the README states); with module nodenext the `.ts` one passes. The project sees
 * hbsim through node_modules, as when installed.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const repo = resolve('.');
let dir: string;

function tsc(config: object): Promise<{ code: number; out: string }> {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  return new Promise((done) => {
    execFile(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', dir], (error, stdout, stderr) => {
      done({ code: error === null ? 0 : Number((error as { code?: number }).code ?? -1), out: stdout + stderr });
    });
  });
}

const base = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] as string[] };
const scenario = (activitiesImport: string): string => `import { defineScenario } from 'hbsim';
import { checkScenario } from 'hbsim/vitest';
import { MockActivityEnvironment } from 'hbsim/testing';
import { createActivities } from '${activitiesImport}';

export const tools = [checkScenario, MockActivityEnvironment];
export default defineScenario({
  name: 'commonjs-user',
  api: 'temporal',
  records: 20,
  input: '2026-11',
  options: { startToCloseTimeout: '10m', heartbeatTimeout: '10s' },
  activity: (world) => createActivities({ source: world.source, sink: world.sink }).copyStatements,
});
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hbsim-cjs-'));
  mkdirSync(join(dir, 'node_modules/@temporalio'), { recursive: true });
  symlinkSync(repo, join(dir, 'node_modules/hbsim'), 'dir');
  for (const p of ['activity', 'common']) symlinkSync(join(repo, 'node_modules/@temporalio', p), join(dir, 'node_modules/@temporalio', p), 'dir');
  cpSync('test/fixtures/commonjs-project/package.json', join(dir, 'package.json'));
  cpSync('test/fixtures/commonjs-project/activities.ts', join(dir, 'activities.ts'));
  writeFileSync(join(dir, 'scenario.ts'), scenario('./activities'));
  writeFileSync(join(dir, 'scenario.mts'), scenario('./activities.js'));
});

describe('a CommonJS project type-checks its scenario', () => {
  test('module commonjs, moduleResolution node10: a .ts scenario importing hbsim and its subpaths', async () => {
    const r = await tsc({ compilerOptions: { ...base, module: 'commonjs', moduleResolution: 'node10' }, files: ['scenario.ts'] });
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);

  test('module node16: a .mts scenario passes; a .ts one is refused with TS1479 (as the README says)', async () => {
    const mts = await tsc({ compilerOptions: { ...base, module: 'node16', moduleResolution: 'node16' }, files: ['scenario.mts'] });
    expect(mts.out).toBe('');
    expect(mts.code).toBe(0);
    const ts = await tsc({ compilerOptions: { ...base, module: 'node16', moduleResolution: 'node16' }, files: ['scenario.ts'] });
    expect(ts.out).toMatch(/scenario\.ts\(1,\d+\): error TS1479/);
  }, 60_000);

  test('module nodenext (TypeScript 5.8 or later): the .ts scenario passes', async () => {
    const r = await tsc({ compilerOptions: { ...base, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['scenario.ts'] });
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);
});
