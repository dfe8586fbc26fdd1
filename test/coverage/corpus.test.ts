/**
 * The regression corpus: a failing case found once is kept, replayed first by the next check
 * (and decides its property even when the search would not find it), kept when it passes, and
 * reported as stale, never dropped, when its fault points no longer exist.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { normalizeScenario } from '../../src/scenario.js';
import { HbsimConfigError } from '../../src/errors.js';
import { runCheck } from '../../properties/check.js';
import { corpusFolder, keepCase, readCorpus } from '../../properties/corpus.js';
import { parseFault } from '../../app/cli/failure-file.js';
import { checkScenario, ScenarioCheckError } from '../../src/vitest.js';
import broken from '../../examples/broken/add-without-idempotency-key.js';
import good from '../../examples/add-with-idempotency-key.js';

describe('regression corpus', () => {
  test('a kept case is replayed first and still fails, even with a search too short to find it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-corpus-'));
    const scenario = normalizeScenario(broken);
    const found = await runCheck(scenario, { seed: 3, runs: 100 });
    const v = found.properties.find((p) => p.name === 'idempotent')!;
    expect(v.ok).toBe(false);
    const kept = keepCase(dir, { scenario: scenario.name, property: 'idempotent', worldSeed: v.worldSeed!, plan: v.plan!, summary: v.violation!.summary });
    expect(kept.added).toBe(true);
    expect(keepCase(dir, { scenario: scenario.name, property: 'idempotent', worldSeed: v.worldSeed!, plan: v.plan!, summary: 'again' })).toEqual({ file: kept.file, added: false });
    const bytes = readFileSync(kept.file, 'utf8');
    expect(JSON.parse(bytes)).toMatchObject({ hbsimCorpus: 1, property: 'idempotent', worldSeed: v.worldSeed, plan: v.plan });

    // One run of another seed does not find the bug; the corpus does.
    const blind = await runCheck(scenario, { seed: 77, runs: 1, properties: ['idempotent'] });
    const replayed = await runCheck(scenario, { seed: 77, runs: 1, properties: ['idempotent'], corpus: readCorpus(dir, scenario.name, parseFault) });
    expect(replayed.corpus).toEqual([expect.objectContaining({ file: kept.file, status: 'fails' })]);
    const p = replayed.properties[0]!;
    expect(p.ok).toBe(false);
    expect(p.corpusFile).toBe(kept.file);
    expect(p.plan).toEqual(v.plan);
    expect(blind.properties[0]!.ok).toBe(true);
  });

  test('a fixed scenario passes its kept case; a case whose fault points are gone is stale, reported and kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-corpus-'));
    const scenario = normalizeScenario(good);
    keepCase(dir, { scenario: scenario.name, property: 'idempotent', worldSeed: 3, plan: [{ kind: 'crash', beforeEffect: 2 }], summary: 'was broken' });
    const stale = keepCase(dir, { scenario: scenario.name, property: 'no-skipped-records', worldSeed: 3, plan: [{ kind: 'crash', afterEffect: 1_000_000 }], summary: 'old' });
    const report = await runCheck(scenario, { seed: 3, runs: 5, corpus: readCorpus(dir, scenario.name, parseFault) });
    expect(report.ok).toBe(true);
    expect(report.corpus.map((r) => r.status).sort()).toEqual(['passes', 'stale']);
    expect(report.corpus.find((r) => r.status === 'stale')!.why).toMatch(/fault 1 .*afterEffect.*no longer has/);
    expect(existsSync(stale.file)).toBe(true);
  });

  test('a damaged corpus file is bad input naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-corpus-'));
    mkdirSync(corpusFolder(dir, 's'), { recursive: true });
    writeFileSync(join(corpusFolder(dir, 's'), 'x.json'), JSON.stringify({ hbsimCorpus: 1, scenario: 's', property: 'idempotent', worldSeed: 1.5, plan: [], summary: '' }));
    expect(() => readCorpus(dir, 's', parseFault)).toThrow(HbsimConfigError);
    expect(() => readCorpus(dir, 's', parseFault)).toThrow(/x\.json: worldSeed/);
  });

  test('hbsim/vitest keeps a failing case, then replays it first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-corpus-'));
    const first = await checkScenario(broken, { seed: 3, runs: 100, corpus: dir }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ScenarioCheckError);
    expect((first as Error).message).toMatch(/kept as a regression case: .*idempotent-[0-9a-f]{12}\.json/);
    const second = await checkScenario(broken, { seed: 99, runs: 1, properties: ['idempotent'], corpus: dir }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ScenarioCheckError);
    expect((second as Error).message).toMatch(/a regression case of the corpus still fails/);
  });
});
